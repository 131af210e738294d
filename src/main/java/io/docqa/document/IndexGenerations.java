package io.docqa.document;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import io.docqa.ai.IndexGeneration;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/**
 * Which {@link IndexGeneration} of a tenant's vectors is searched: the active one in PostgreSQL, whatever this instance
 * is configured with (during a rollout, instances of two configurations search the same generations). It is kept here
 * for {@code docqa.index-rebuild.active-cache} only, well below the time a switched-from collection is kept
 * ({@code retire-grace}), so that no search outlives a switch by more than that.
 */
@Component
public class IndexGenerations {

    private static final Logger log = LoggerFactory.getLogger(IndexGenerations.class);
    private static final int MAX_CACHED = 100_000;

    private final VectorIndexes states;
    private final IndexGeneration configured;
    private final Cache<TenantId, IndexGeneration> active;

    IndexGenerations(VectorIndexes states, TenantVectorIndex index, IndexRebuildProperties properties) {
        this.states = states;
        this.configured = index.configuredGeneration();
        this.active = Caffeine.newBuilder().maximumSize(MAX_CACHED).expireAfterWrite(properties.activeCache()).build();
    }

    /** The generation the tenant's questions are embedded for and searched in. */
    public Mono<IndexGeneration> searched(TenantId tenant) {
        IndexGeneration cached = active.getIfPresent(tenant);
        if (cached != null) {
            return Mono.just(cached);
        }
        return states.find(tenant)
                .map(state -> parse(state.active()))
                .defaultIfEmpty(configured)
                .doOnNext(generation -> active.put(tenant, generation));
    }

    /** Every generation that may hold vectors of the tenant: the active one and the one being built. */
    Mono<List<IndexGeneration>> live(TenantId tenant) {
        return states.find(tenant)
                .map(state -> {
                    Set<IndexGeneration> all = new LinkedHashSet<>();
                    all.add(parse(state.active()));
                    if (state.target() != null) {
                        all.add(parse(state.target()));
                    }
                    return List.copyOf(all);
                })
                .defaultIfEmpty(List.of(configured));
    }

    /** Every generation with a collection of the tenant, retired ones and the configured one included. */
    Mono<List<IndexGeneration>> all(TenantId tenant) {
        return states.find(tenant)
                .map(state -> {
                    Set<IndexGeneration> all = new LinkedHashSet<>(List.of(configured, parse(state.active())));
                    for (String other : new String[] { state.target(), state.retired() }) {
                        if (other != null) {
                            all.add(parse(other));
                        }
                    }
                    return List.copyOf(all);
                })
                .defaultIfEmpty(List.of(configured));
    }

    IndexGeneration configured() {
        return configured;
    }

    /**
     * A stored generation; one this code does not know (its model was removed) counts as the configured one, whose
     * re-index then replaces it.
     */
    IndexGeneration parse(String id) {
        return id == null ? configured : IndexGeneration.parse(id).orElseGet(() -> {
            log.warn("Unknown index generation {}; taken as {}", id, configured);
            return configured;
        });
    }
}
