package io.docqa.document;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import io.docqa.ai.IndexGeneration;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/**
 * Which {@link IndexGeneration} of a tenant's vectors is searched: the active one, which is the configured one except
 * while a re-index builds the configured one ({@link IndexRebuild}). Once a tenant is found at the configured
 * generation it stays there for the life of this instance, so that a question costs no lookup after that.
 */
@Component
public class IndexGenerations {

    private static final Logger log = LoggerFactory.getLogger(IndexGenerations.class);
    private static final int MAX_SETTLED = 100_000;

    private final VectorIndexes states;
    private final IndexGeneration configured;
    private final Set<TenantId> settled = ConcurrentHashMap.newKeySet();

    IndexGenerations(VectorIndexes states, TenantVectorIndex index) {
        this.states = states;
        this.configured = index.configuredGeneration();
    }

    /** The generation the tenant's questions are embedded for and searched in. */
    public Mono<IndexGeneration> searched(TenantId tenant) {
        if (settled.contains(tenant)) {
            return Mono.just(configured);
        }
        return states.find(tenant)
                .map(state -> parse(state.active()))
                .defaultIfEmpty(configured)
                .doOnNext(generation -> {
                    if (generation.equals(configured)) {
                        if (settled.size() >= MAX_SETTLED) {
                            settled.clear();
                        }
                        settled.add(tenant);
                    }
                });
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
