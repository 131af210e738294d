package io.docqa.limits;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.AuditAction;
import io.docqa.tenant.AuditActor;
import io.docqa.tenant.AuditTarget;
import io.docqa.tenant.AuditTrail;
import io.docqa.tenant.TenantId;
import io.docqa.tenant.TenantQuotas;
import io.docqa.tenant.Tenants;
import io.docqa.web.ApiException;
import io.docqa.web.PathIds;
import io.docqa.web.RequestBodies;
import reactor.core.publisher.Mono;

/** The operator reads a tenant's quotas and sets or removes its own limits over the configured defaults. */
@Component
class OperatorHandler {

    private static final Logger log = LoggerFactory.getLogger(OperatorHandler.class);

    private final Tenants tenants;
    private final QuotaOverrides overrides;
    private final QuotaStates states;
    private final RequestBodies bodies;
    private final AuditTrail audit;

    OperatorHandler(Tenants tenants, QuotaOverrides overrides, QuotaStates states, RequestBodies bodies, AuditTrail audit) {
        this.audit = audit;
        this.tenants = tenants;
        this.overrides = overrides;
        this.states = states;
        this.bodies = bodies;
    }

    Mono<ServerResponse> quotas(ServerRequest request) {
        TenantId tenant = tenant(request);
        return tenants.find(tenant)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Tenant")))
                .then(view(tenant));
    }

    Mono<ServerResponse> set(ServerRequest request) {
        TenantId tenant = tenant(request);
        Quota quota = quota(request);
        return bodies.read(request, LimitRequest.class)
                .flatMap(body -> overrides.set(tenant, quota, body.limit())
                        .flatMap(found -> found ? Mono.empty() : Mono.error(ApiException.notFound("Tenant")))
                        .then(changed(tenant, quota, body.limit()))
                        .doOnSuccess(done -> log.info("Operator set quota {} of tenant {} to {}", quota.json(), tenant, body.limit())))
                .then(view(tenant));
    }

    Mono<ServerResponse> remove(ServerRequest request) {
        TenantId tenant = tenant(request);
        Quota quota = quota(request);
        return tenants.find(tenant)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Tenant")))
                .then(overrides.remove(tenant, quota))
                .then(changed(tenant, quota, "default"))
                .doOnSuccess(done -> log.info("Operator removed the quota {} of tenant {}: the default applies", quota.json(), tenant))
                .then(view(tenant));
    }

    /** In the tenant's audit trail, where its admins read it. */
    private Mono<Void> changed(TenantId tenant, Quota quota, Object limit) {
        return audit.record(tenant, AuditActor.operator(null), AuditAction.QUOTA_CHANGED, AuditTarget.tenant(tenant),
                Map.of("quota", quota.json(), "limit", limit));
    }

    private Mono<ServerResponse> view(TenantId tenant) {
        return Mono.zip(states.of(tenant), overrides.of(tenant))
                .flatMap(both -> {
                    Map<String, Long> set = new LinkedHashMap<>();
                    both.getT2().forEach((quota, limit) -> set.put(quota.json(), limit));
                    return ServerResponse.ok().bodyValue(new OperatorView(tenant.value(), both.getT1(), set));
                });
    }

    private static TenantId tenant(ServerRequest request) {
        return new TenantId(PathIds.uuid(request, "tenant", "Tenant"));
    }

    private static Quota quota(ServerRequest request) {
        String name = request.pathVariable("quota");
        return Quota.parse(name).orElseThrow(() -> QuotaLimits.unknownQuota(name));
    }

    /** {@code limit}: at least 0, or -1 for unlimited. */
    record LimitRequest(@NotNull @Min(-1) Long limit) {
    }

    /** {@code overrides}: the limits the operator set for this tenant (the others are the configured defaults). */
    record OperatorView(UUID tenantId, Map<String, TenantQuotas.State> quotas, Map<String, Long> overrides) {
    }
}
