package io.docqa.tenant;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

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
    private final ObjectProvider<TenantQuotas> quotas;
    private final ObjectProvider<TenantIndexStatus> index;

    TenantHandler(Tenants tenants, TenantDeletion deletion, ObjectProvider<TenantUsage> usage, ObjectProvider<TenantQuotas> quotas,
            ObjectProvider<TenantIndexStatus> index) {
        this.tenants = tenants;
        this.deletion = deletion;
        this.usage = usage;
        this.quotas = quotas;
        this.index = index;
    }

    Mono<ServerResponse> get(ServerRequest request) {
        return Caller.of(request)
                .flatMap(caller -> tenants.find(caller.tenantId())
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Tenant")))
                        .zipWith(Mono.zip(usageOf(caller.tenantId()), quotasOf(caller.tenantId()), indexOf(caller.tenantId()))))
                .map(all -> new TenantView(all.getT1().id().value().toString(), all.getT1().name(), all.getT1().createdAt(),
                        all.getT2().getT1(), all.getT2().getT2(), all.getT2().getT3().orElse(null)))
                .flatMap(view -> ServerResponse.ok().bodyValue(view));
    }

    Mono<ServerResponse> delete(ServerRequest request) {
        return Caller.of(request).flatMap(deletion::delete).then(ServerResponse.noContent().build());
    }

    private Mono<TenantUsage.Usage> usageOf(TenantId tenant) {
        TenantUsage source = usage.getIfAvailable();
        return source == null ? Mono.just(TenantUsage.Usage.NONE) : source.of(tenant);
    }

    private Mono<Map<String, TenantQuotas.State>> quotasOf(TenantId tenant) {
        TenantQuotas source = quotas.getIfAvailable();
        return source == null ? Mono.just(Map.of()) : source.of(tenant);
    }

    private Mono<Optional<TenantIndexStatus.Status>> indexOf(TenantId tenant) {
        TenantIndexStatus source = index.getIfAvailable();
        return source == null ? Mono.just(Optional.empty()) : source.of(tenant).map(Optional::of);
    }

    record TenantView(String id, String name, Instant createdAt, TenantUsage.Usage usage, Map<String, TenantQuotas.State> quotas,
            TenantIndexStatus.Status index) {
    }
}
