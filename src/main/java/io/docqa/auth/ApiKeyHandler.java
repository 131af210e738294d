package io.docqa.auth;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.AuditAction;
import io.docqa.tenant.AuditActor;
import io.docqa.tenant.AuditTarget;
import io.docqa.tenant.AuditTrail;
import io.docqa.tenant.Caller;
import io.docqa.tenant.Role;
import io.docqa.web.ApiException;
import io.docqa.web.PathIds;
import io.docqa.web.RequestBodies;
import reactor.core.publisher.Mono;

@Component
class ApiKeyHandler {

    private final ApiKeys apiKeys;
    private final AuditTrail audit;
    private final RequestBodies bodies;

    ApiKeyHandler(ApiKeys apiKeys, AuditTrail audit, RequestBodies bodies) {
        this.apiKeys = apiKeys;
        this.audit = audit;
        this.bodies = bodies;
    }

    Mono<ServerResponse> list(ServerRequest request) {
        return Caller.of(request)
                .flatMap(caller -> apiKeys.list(caller.tenantId()).map(AuthViews.ApiKeyView::of).collectList())
                .flatMap(keys -> ServerResponse.ok().bodyValue(keys));
    }

    /**
     * A key never gets more power than the caller who makes it. A key made by a key is capped by the same person as
     * its maker, so no chain of keys outlives or outranks a person's current role.
     */
    Mono<ServerResponse> create(ServerRequest request) {
        return Caller.of(request)
                .zipWith(bodies.read(request, AuthRequests.NewApiKey.class))
                .flatMap(both -> {
                    Caller caller = both.getT1();
                    AuthRequests.NewApiKey body = both.getT2();
                    Role role = Role.parse(body.role()).orElseThrow();
                    if (!caller.role().isAtLeast(role)) {
                        return Mono.error(ApiException.forbidden("A key cannot have a higher role than its maker"));
                    }
                    Mono<UUID> maker = caller.isUser() ? Mono.just(caller.userId())
                            : apiKeys.makerOf(caller.tenantId(), caller.apiKeyId())
                                    .switchIfEmpty(Mono.error(() -> ApiException.forbidden("This key cannot make keys")));
                    return maker.flatMap(by -> apiKeys.create(caller.tenantId(), body.name().trim(), role, by, body.expiresAt()))
                            .flatMap(created -> audit.record(caller.tenantId(), AuditActor.of(caller), AuditAction.API_KEY_CREATED,
                                    AuditTarget.of("api_key", created.key().id()),
                                    Map.of("name", created.key().name(), "role", role.json())).thenReturn(created));
                })
                .flatMap(created -> ServerResponse.created(URI.create("/api/v1/api-keys/" + created.key().id()))
                        .bodyValue(AuthViews.CreatedApiKey.of(created)));
    }

    Mono<ServerResponse> revoke(ServerRequest request) {
        UUID id = PathIds.uuid(request, "id", "API key");
        return Caller.of(request)
                .flatMap(caller -> apiKeys.revoke(caller.tenantId(), id)
                        .flatMap(rows -> rows == 0 ? Mono.error(ApiException.notFound("API key"))
                                : audit.record(caller.tenantId(), AuditActor.of(caller), AuditAction.API_KEY_REVOKED,
                                        AuditTarget.of("api_key", id), null)))
                .then(ServerResponse.noContent().build());
    }
}
