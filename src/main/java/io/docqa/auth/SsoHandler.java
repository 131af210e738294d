package io.docqa.auth;

import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.web.RequestBodies;
import reactor.core.publisher.Mono;

@Component
class SsoHandler {

    private final SsoProperties properties;
    private final SsoSignIn signIn;
    private final RequestBodies bodies;

    SsoHandler(SsoProperties properties, SsoSignIn signIn, RequestBodies bodies) {
        this.properties = properties;
        this.signIn = signIn;
        this.bodies = bodies;
    }

    Mono<ServerResponse> providers(ServerRequest request) {
        List<AuthViews.SsoProvider> providers = properties.providers().entrySet().stream()
                .map(entry -> new AuthViews.SsoProvider(entry.getKey(), entry.getValue().displayName(entry.getKey()),
                        "/oauth2/authorization/" + entry.getKey()))
                .toList();
        return ServerResponse.ok().bodyValue(new AuthViews.SsoProviders(providers));
    }

    Mono<ServerResponse> exchange(ServerRequest request) {
        return bodies.read(request, AuthRequests.SsoCode.class)
                .flatMap(body -> signIn.exchange(body.code()))
                .flatMap(tokens -> ServerResponse.ok().bodyValue(tokens));
    }
}
