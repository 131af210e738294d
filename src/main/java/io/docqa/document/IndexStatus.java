package io.docqa.document;

import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import io.docqa.tenant.TenantIndexStatus;
import reactor.core.publisher.Mono;

/**
 * A tenant's index as {@code GET /api/v1/tenant} shows it: the generation searched and, while a re-index runs or waits
 * to run, the generation it builds (the one the deployment desires, whatever this instance is configured with) and how far
 * it got.
 */
@Component
class IndexStatus implements TenantIndexStatus {

    static final String READY = "ready";
    static final String REBUILDING = "rebuilding";

    private final VectorIndexes states;
    private final IndexGenerations generations;

    IndexStatus(VectorIndexes states, IndexGenerations generations) {
        this.states = states;
        this.generations = generations;
    }

    @Override
    public Mono<Status> of(TenantId tenant) {
        String configured = generations.configured().id();
        return states.desired().defaultIfEmpty(configured)
                .flatMap(desired -> states.find(tenant)
                        .map(state -> new Position(state.active(), state.target() != null ? state.target()
                                : desired.equals(state.active()) ? null : desired))
                        .defaultIfEmpty(new Position(desired, null)))
                .flatMap(at -> states.progress(tenant, at.target())
                        .map(done -> at.target() == null
                                ? new Status(at.active(), READY, null, done.documents(), done.documents(), done.chunks(), done.chunks())
                                : new Status(at.active(), REBUILDING, at.target(), done.documents(), done.documentsDone(),
                                        done.chunks(), done.chunksDone())));
    }

    private record Position(String active, String target) {
    }
}
