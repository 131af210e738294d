package io.docqa.tenant;

import reactor.core.publisher.Mono;

/**
 * Implemented by a feature that keeps tenant data outside PostgreSQL (vectors, caches). Called before the
 * tenant's rows are deleted; rows go with the tenant by cascade.
 */
public interface TenantDataEraser {

    Mono<Void> erase(TenantId tenant);
}
