package io.docqa.tenant;

import reactor.core.publisher.Mono;

/** The state of a tenant's vector index, for {@code GET /api/v1/tenant}; provided by the documents feature. */
public interface TenantIndexStatus {

    Mono<Status> of(TenantId tenant);

    /**
     * {@code generation}: the index searched (embedding model and format); {@code state}: {@code ready}, or
     * {@code rebuilding} into {@code rebuilding_to} (null when ready), with its progress over the ready documents.
     */
    record Status(String generation, String state, String rebuildingTo, long documentsTotal, long documentsDone,
            long chunksTotal, long chunksDone) {
    }
}
