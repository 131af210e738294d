package io.docqa.web;

import java.util.Set;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;
import reactor.core.publisher.Mono;

/** Functional routes answer 404 for a known path with another method; add this last to answer 405 instead. */
public final class MethodNotAllowed {

    private MethodNotAllowed() {
    }

    public static RouterFunction<ServerResponse> on(String pathPattern, HttpMethod... allowed) {
        Set<HttpMethod> methods = Set.of(allowed);
        return RouterFunctions.route(RequestPredicates.path(pathPattern),
                request -> Mono.error(new MethodNotAllowedException(request.method(), methods)));
    }
}
