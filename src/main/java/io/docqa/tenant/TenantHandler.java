package io.docqa.tenant;

import java.time.Instant;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

@Component
class TenantHandler {

    private final Tenants tenants;
    private final TenantDeletion deletion;
    private final ObjectProvider<TenantUsage> usage;

    TenantHandler(Tenants tenants, TenantDeletion deletion, ObjectProvider<TenantUsage> usage) {
        this.tenants = tenants;
        this.deletion = deletion;
        this.usage = usage;
    }

    Mono<ServerResponse> get(ServerRequest request) {
        return Caller.of(request)
                .flatMap(caller -> tenants.find(caller.tenantId())
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Tenant")))
                        .zipWith(usageOf(caller.tenantId())))
                .map(both -> new TenantView(both.getT1().id().value().toString(), both.getT1().name(),
                        both.getT1().createdAt(), both.getT2()))
                .flatMap(view -> ServerResponse.ok().bodyValue(view));
    }

    Mono<ServerResponse> delete(ServerRequest request) {
        return Caller.of(request).flatMap(deletion::delete).then(ServerResponse.noContent().build());
    }

    private Mono<TenantUsage.Usage> usageOf(TenantId tenant) {
        TenantUsage source = usage.getIfAvailable();
        return source == null ? Mono.just(TenantUsage.Usage.NONE) : source.of(tenant);
    }

    record TenantView(String id, String name, Instant createdAt, TenantUsage.Usage usage) {
    }
}
