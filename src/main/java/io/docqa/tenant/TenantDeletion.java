package io.docqa.tenant;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Removes a tenant with everything it owns: data kept elsewhere first, then every row by cascade. */
@Service
class TenantDeletion {

    private static final Logger log = LoggerFactory.getLogger(TenantDeletion.class);

    private final Tenants tenants;
    private final List<TenantDataEraser> erasers;

    TenantDeletion(Tenants tenants, List<TenantDataEraser> erasers) {
        this.tenants = tenants;
        this.erasers = erasers;
    }

    Mono<Void> delete(Caller caller) {
        TenantId tenant = caller.tenantId();
        return Flux.fromIterable(erasers)
                .concatMap(eraser -> eraser.erase(tenant))
                .then(tenants.delete(tenant))
                .doOnNext(rows -> log.info("Tenant {} deleted by {}", tenant, caller.actorId()))
                .then();
    }
}
