package io.docqa.tenant;

import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/**
 * Who makes a request, in which tenant. The only source of a tenant id in the service.
 * A user has a {@code userId}; an API key has an {@code apiKeyId} instead.
 */
public record Caller(TenantId tenantId, UUID userId, UUID apiKeyId, Role role) {

    public static Caller user(TenantId tenantId, UUID userId, Role role) {
        return new Caller(tenantId, userId, null, role);
    }

    public static Caller apiKey(TenantId tenantId, UUID apiKeyId, Role role) {
        return new Caller(tenantId, null, apiKeyId, role);
    }

    public static Mono<Caller> of(ServerRequest request) {
        return request.principal()
                .filter(Authentication.class::isInstance)
                .map(principal -> ((Authentication) principal).getPrincipal())
                .cast(Caller.class);
    }

    public boolean isUser() {
        return userId != null;
    }

    /** The id recorded as the actor of audit events. */
    public UUID actorId() {
        return userId != null ? userId : apiKeyId;
    }
}
