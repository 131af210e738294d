package io.docqa.tenant;

import reactor.core.publisher.Mono;

/** What a tenant stores; provided by the documents feature. */
public interface TenantUsage {

    Mono<Usage> of(TenantId tenant);

    record Usage(long documents, long chunks, long bytes) {

        public static final Usage NONE = new Usage(0, 0, 0);
    }
}
