package io.docqa.auth;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A request that can take access away (a user changed or deleted, an API key made or revoked, the tenant deleted)
 * empties this instance's {@link CallerCache} before its answer is sent, after its transaction committed: the next
 * request here never meets what it changed, without waiting for the database's notification (which empties the caches
 * of the other instances, and this one's again).
 */
@Component
class CredentialChangeRequests implements WebFilter {

    private final CallerCache cache;

    CredentialChangeRequests(CallerCache cache) {
        this.cache = cache;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (changesCredentials(exchange.getRequest())) {
            exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(cache::invalidateAll));
        }
        return chain.filter(exchange);
    }

    private static boolean changesCredentials(ServerHttpRequest request) {
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return false;
        }
        String path = request.getPath().pathWithinApplication().value();
        return path.startsWith("/api/v1/users") || path.startsWith("/api/v1/api-keys")
                || (method == HttpMethod.DELETE && path.equals("/api/v1/tenant"));
    }
}
