package io.docqa.tenant;

import java.util.Map;

import reactor.core.publisher.Mono;

/** A tenant's quotas with what it used of each; provided by the limits feature. */
public interface TenantQuotas {

    /** By quota name, in a stable order. */
    Mono<Map<String, State>> of(TenantId tenant);

    /** {@code limit} null: unlimited; {@code resetsAt} null: a storage quota, which never resets. */
    record State(Long limit, long used, java.time.Instant resetsAt) {
    }
}
