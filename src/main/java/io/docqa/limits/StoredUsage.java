package io.docqa.limits;

import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/** What a tenant stores, as the storage quotas count it (ready documents and what ingesting ones reserved); provided by the documents feature. */
public interface StoredUsage {

    Mono<Stored> of(TenantId tenant);

    record Stored(long documents, long bytes, long chunks) {

        public long of(Quota quota) {
            return switch (quota) {
                case DOCUMENTS -> documents;
                case BYTES -> bytes;
                case CHUNKS -> chunks;
                default -> throw new IllegalArgumentException(quota + " is not a storage quota");
            };
        }
    }
}
