package io.docqa.tenant;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Removes a tenant with everything it owns: data kept elsewhere first, then every row by cascade, its audit trail
 * included. The deletion itself is recorded outside every tenant's trail, in the same transaction as the delete.
 */
@Service
class TenantDeletion {

    private static final Logger log = LoggerFactory.getLogger(TenantDeletion.class);

    private final Tenants tenants;
    private final List<TenantDataEraser> erasers;
    private final AuditTrail audit;
    private final TransactionalOperator tx;

    TenantDeletion(Tenants tenants, List<TenantDataEraser> erasers, AuditTrail audit, TransactionalOperator tx) {
        this.tenants = tenants;
        this.erasers = erasers;
        this.audit = audit;
        this.tx = tx;
    }

    Mono<Void> delete(Caller caller) {
        TenantId tenant = caller.tenantId();
        return Flux.fromIterable(erasers)
                .concatMap(eraser -> eraser.erase(tenant))
                .then(tx.transactional(tenants.find(tenant)
                        .flatMap(found -> audit.recordOutsideTenants(AuditActor.of(caller), AuditAction.TENANT_DELETED,
                                AuditTarget.tenant(tenant), Map.of("tenant_name", found.name())))
                        .then(tenants.delete(tenant))))
                .doOnNext(rows -> log.info("Tenant {} deleted by {}", tenant, caller.actorId()))
                .then();
    }
}
