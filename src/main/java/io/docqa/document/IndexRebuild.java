package io.docqa.document;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import io.docqa.ai.Embedder;
import io.docqa.ai.IndexGeneration;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.ai.VectorChunk;
import io.docqa.tenant.TenantId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Re-indexes one tenant into the configured {@link IndexGeneration}, from the chunk texts in PostgreSQL, under a lease
 * on the tenant's index: document by document, each in steps of {@code docqa.index-rebuild.batch-size} chunks embedded
 * one at a time (so that questions never wait behind it), its place saved after every step so that another instance or
 * a restart goes on from there. Searches stay on the active generation until every ready document is in the new one;
 * then they switch over, and the old collection is dropped. Documents uploaded meanwhile go to the active generation
 * and are caught up before the switch, which waits until none is being ingested in the old one.
 */
@Component
class IndexRebuild {

    private static final Logger log = LoggerFactory.getLogger(IndexRebuild.class);

    enum Outcome { IDLE, WAITING, SWITCHED, ELSEWHERE }

    private final VectorIndexes states;
    private final Documents documents;
    private final IndexGenerations generations;
    private final Embedder embedder;
    private final TenantVectorIndex index;
    private final ChunkingProperties chunking;
    private final IndexRebuildProperties properties;
    private final String instance;
    private final Counter chunks;
    private volatile boolean stopping;

    IndexRebuild(VectorIndexes states, Documents documents, IndexGenerations generations, Embedder embedder, TenantVectorIndex index,
            ChunkingProperties chunking, IndexRebuildProperties properties, IngestionLeases leases, MeterRegistry meters) {
        this.states = states;
        this.documents = documents;
        this.generations = generations;
        this.embedder = embedder;
        this.index = index;
        this.chunking = chunking;
        this.properties = properties;
        this.instance = leases.instance();
        this.chunks = Counter.builder("docqa.index.rebuild.chunks").baseUnit("chunks")
                .description("Chunks embedded again for a new index generation").register(meters);
    }

    String instance() {
        return instance;
    }

    /**
     * One go at the tenant: as far as it gets now. Nothing unless this instance's configured generation is the one the
     * deployment desires ({@link VectorIndexes#desired()}): an instance of another configuration (an old one during a
     * rollout) would undo the work of the others.
     */
    Mono<Outcome> run(TenantId tenant) {
        if (stopping) {
            return Mono.just(Outcome.ELSEWHERE);
        }
        return states.desired()
                .filter(generations.configured().id()::equals)
                .flatMap(desired -> leased(tenant))
                .defaultIfEmpty(Outcome.ELSEWHERE);
    }

    /** Makes runs in progress end before their next step, to let the instance stop. */
    void stop() {
        stopping = true;
    }

    private Mono<Outcome> leased(TenantId tenant) {
        return states.lease(tenant, instance, properties.lease(), properties.retireGrace())
                .flatMap(state -> renewing(tenant, dropRetired(state)
                        .then(Mono.defer(() -> retarget(state)))
                        .flatMap(target -> target.isEmpty() ? states.release(tenant, instance).thenReturn(Outcome.IDLE)
                                : rebuild(state, generations.parse(target.get())))))
                .defaultIfEmpty(Outcome.ELSEWHERE)
                .onErrorResume(LeaseLost.class, lost -> Mono.just(Outcome.ELSEWHERE));
    }

    /**
     * {@code work} with the lease renewed every quarter lease while it runs: one step (a batch embedded behind
     * questions) may take longer than the lease.
     */
    private Mono<Outcome> renewing(TenantId tenant, Mono<Outcome> work) {
        Duration every = properties.lease().dividedBy(4);
        return Mono.defer(() -> {
            Disposable renewal = Flux.interval(every, every)
                    .onBackpressureDrop()
                    .concatMap(tick -> states.renew(tenant, instance, properties.lease()).onErrorResume(error -> {
                        log.warn("Re-index lease of tenant {} not renewed: {}", tenant, error.toString());
                        return Mono.empty();
                    }), 0)
                    .subscribe();
            return work.doFinally(signal -> renewal.dispose());
        });
    }

    /**
     * Drops the collection searches have left (unless a change back made it live again), once the switch is
     * {@code docqa.index-rebuild.retire-grace} old: a question that read the old generation just before the switch
     * would otherwise find no collection, and make an empty one again.
     */
    private Mono<Void> dropRetired(VectorIndexes.State state) {
        String retired = state.retired();
        if (retired == null || !state.retireDue()) {
            return Mono.empty();
        }
        boolean live = retired.equals(state.active()) || retired.equals(state.target())
                || IndexGeneration.parse(retired).isEmpty();
        return (live ? Mono.<Void>empty() : index.dropGeneration(state.tenant(), generations.parse(retired)))
                .then(states.retiredDropped(state.tenant(), retired))
                .doOnSuccess(done -> log.info("Index generation {} of tenant {} dropped", retired, state.tenant()));
    }

    /**
     * The generation to build: the configured one unless searches use it already. A target left by an instance
     * configured otherwise is given up, its collection dropped.
     */
    private Mono<Optional<String>> retarget(VectorIndexes.State state) {
        String configured = generations.configured().id();
        String wanted = configured.equals(state.active()) ? null : configured;
        if (Objects.equals(wanted, state.target())) {
            return Mono.just(Optional.ofNullable(wanted));
        }
        String before = state.target();
        Mono<Void> dropBefore = before == null || before.equals(state.active()) || IndexGeneration.parse(before).isEmpty()
                ? Mono.empty() : index.dropGeneration(state.tenant(), generations.parse(before));
        return states.retarget(state.tenant(), instance, before, wanted)
                .flatMap(done -> done ? dropBefore.thenReturn(Optional.ofNullable(wanted)) : Mono.error(new LeaseLost()))
                .doOnNext(target -> target.ifPresent(id -> log.info("Re-indexing tenant {} from {} into {}", state.tenant(), state.active(), id)));
    }

    private Mono<Outcome> rebuild(VectorIndexes.State state, IndexGeneration target) {
        TenantId tenant = state.tenant();
        boolean resuming = target.id().equals(state.target()) && state.cursorDocument() != null;
        UUID[] cursor = { resuming ? state.cursorDocument() : null };
        int[] from = { resuming ? state.cursorChunk() : -1 };
        Mono<Boolean> next = Mono.defer(() -> states.nextToRebuild(tenant, target.id(), cursor[0])
                .flatMap(document -> {
                    int after = document.equals(cursor[0]) ? from[0] : -1;
                    cursor[0] = null;
                    return rebuildDocument(tenant, target, document, after).thenReturn(true);
                })
                .defaultIfEmpty(false));
        return next.repeat().takeWhile(Boolean::booleanValue).then(states.switchOver(tenant, instance, target.id()))
                .flatMap(switched -> switched ? retireActive(state, target) : Mono.just(Outcome.WAITING))
                .onErrorResume(LeaseLost.class, lost -> dropIfDeleted(tenant, target).then(Mono.error(lost)));
    }

    private Mono<Outcome> retireActive(VectorIndexes.State state, IndexGeneration target) {
        log.info("Tenant {} searches index generation {} now", state.tenant(), target);
        return states.find(state.tenant(), properties.retireGrace())
                .flatMap(this::dropRetired)
                .then(states.release(state.tenant(), instance))
                .thenReturn(Outcome.SWITCHED);
    }

    private Mono<Void> rebuildDocument(TenantId tenant, IndexGeneration target, UUID document, int after) {
        return documents.chunksAfter(tenant, document, after)
                .buffer(properties.batchSize())
                .concatMap(batch -> embedder.embedInBackground(target.model(), batch.stream().map(this::embedded).toList())
                        .flatMap(vectors -> held(tenant, target).then(index.add(tenant, target, vectorChunks(document, batch, vectors))))
                        .then(states.advance(tenant, instance, target.id(), document, batch.get(batch.size() - 1).index(), properties.lease()))
                        .flatMap(held -> held ? Mono.fromRunnable(() -> chunks.increment(batch.size())) : Mono.error(new LeaseLost())), 0)
                .then(states.rebuilt(tenant, document, target.id()))
                .flatMap(kept -> kept ? Mono.<Void>empty() : index.removeDocument(tenant, target, document));
    }

    /**
     * Goes on when the lease is still this instance's and it does not stop; else ends the run with {@link LeaseLost}
     * (after which {@link #dropIfDeleted} undoes an add that raced the tenant's deletion).
     */
    private Mono<Void> held(TenantId tenant, IndexGeneration target) {
        return (stopping ? Mono.just(false) : states.holds(tenant, instance, target.id()))
                .flatMap(held -> held ? Mono.<Void>empty() : Mono.error(new LeaseLost()));
    }

    /**
     * After {@link LeaseLost}: drops the collection of {@code target} if the tenant is being deleted, which may have
     * dropped it before this run's last add made it again.
     */
    private Mono<Void> dropIfDeleted(TenantId tenant, IndexGeneration target) {
        return states.deleted(tenant)
                .flatMap(deleted -> deleted ? index.dropTenant(tenant, List.of(target))
                        .doOnSuccess(done -> log.info("Index generation {} of deleted tenant {} dropped", target, tenant)) : Mono.empty());
    }

    private String embedded(Documents.StoredChunk chunk) {
        return chunking.embedded(new TextChunk(chunk.index(), chunk.section(), chunk.text()));
    }

    private static List<VectorChunk> vectorChunks(UUID document, List<Documents.StoredChunk> batch, List<float[]> vectors) {
        return IntStream.range(0, batch.size())
                .mapToObj(i -> new VectorChunk(document, batch.get(i).index(), batch.get(i).section(), batch.get(i).text(), vectors.get(i)))
                .toList();
    }

    /** Another instance took the tenant's re-index over (this one made no progress within the lease). */
    private static final class LeaseLost extends RuntimeException {

        LeaseLost() {
            super(null, null, false, false);
        }
    }
}
