package io.docqa.web;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers the requests Spring Security's firewall turns away before any route (an encoded {@code /}, {@code %00}, a
 * {@code %} that encodes nothing, {@code //}, {@code ..}, a control character in a header, an unknown method) as
 * problem+json instead of an empty 400. An unknown method is a 405 naming the methods the service knows at all.
 */
@Component
class RejectedRequests implements ServerExchangeRejectedHandler {

    /** The methods {@code StrictServerWebExchangeFirewall} lets through; every route answers one of them. */
    static final Set<HttpMethod> KNOWN_METHODS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(HttpMethod.GET,
            HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS)));

    private final ProblemWriter problems;

    RejectedRequests(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
        if (!KNOWN_METHODS.contains(exchange.getRequest().getMethod())) {
            exchange.getResponse().getHeaders().setAllow(KNOWN_METHODS);
            return problems.write(exchange, new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    "This method is not allowed on this path"));
        }
        return problems.write(exchange, malformed());
    }

    static ApiException malformed() {
        return new ApiException(HttpStatus.BAD_REQUEST, "malformed_request",
                "The path, a query parameter or a header holds an encoding or character this service does not accept");
    }
}
