package io.docqa.document;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import io.docqa.ai.IndexGeneration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Every {@code docqa.index-rebuild.interval}, finds the tenants whose vectors are not all in the configured index
 * generation and that no other instance is re-indexing, and re-indexes them one after the other ({@link IndexRebuild}):
 * one tenant at a time per instance, so the work never takes more than one core. When the service stops, the run in
 * progress ends at its next step (waited for a few seconds), then its leases are given up so that another instance (or
 * this one, started again) goes on at once from where the work stood.
 */
@Component
class IndexRebuilds implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IndexRebuilds.class);
    private static final int TENANTS_PER_SWEEP = 20;
    /** How long stopping waits for the run in progress to end at its next step, and then for the leases to be given up. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final IndexRebuild rebuild;
    private final VectorIndexes states;
    private final IndexGenerations generations;
    private final IndexRebuildProperties properties;
    private final AtomicLong behind = new AtomicLong();
    private volatile Disposable sweeping;
    private volatile Mono<Void> inFlight = Mono.empty();

    IndexRebuilds(IndexRebuild rebuild, VectorIndexes states, IndexGenerations generations, IndexRebuildProperties properties,
            MeterRegistry meters) {
        this.rebuild = rebuild;
        this.states = states;
        this.generations = generations;
        this.properties = properties;
        Gauge.builder("docqa.index.rebuild.tenants", behind, AtomicLong::get)
                .description("Tenants whose vectors are not all in the configured index generation yet").register(meters);
    }

    /**
     * One round: the number of tenants switched over to the configured generation. None unless the deployment desires
     * this instance's configured generation.
     */
    Mono<Long> sweep() {
        String configured = generations.configured().id();
        return states.desired().filter(configured::equals)
                .flatMapMany(desired -> states.withWork(configured, rebuild.instance(), TENANTS_PER_SWEEP, properties.retireGrace()))
                .concatMap(tenant -> tracked(rebuild.run(tenant)).onErrorResume(error -> {
                    log.warn("Re-index of tenant {} stopped; it goes on at the next round: {}", tenant, error.toString());
                    return Mono.empty();
                }))
                .filter(outcome -> outcome == IndexRebuild.Outcome.SWITCHED)
                .count()
                .flatMap(switched -> states.behind(configured).doOnNext(behind::set).thenReturn(switched));
    }

    /** {@code run}, with {@link #inFlight} telling when it is over. */
    private Mono<IndexRebuild.Outcome> tracked(Mono<IndexRebuild.Outcome> run) {
        return Mono.defer(() -> {
            Sinks.Empty<Void> over = Sinks.empty();
            inFlight = over.asMono();
            return run.doFinally(signal -> over.tryEmitEmpty());
        });
    }

    /**
     * Adopts the tenants from before index generations ({@link VectorIndexes#adopt}) at the generation their vectors
     * were made with (re-indexed from there if another is configured), then sweeps every {@code interval} if this
     * instance re-indexes.
     */
    @Override
    public void start() {
        String configured = generations.configured().id();
        String before = IndexGeneration.BEFORE_GENERATIONS.id();
        Mono<Void> adopted = states.desire(configured)
                .doOnSuccess(done -> log.info("Index generation {} desired for the deployment (this instance started last)", configured))
                .then(states.adopt(before))
                .doOnNext(rows -> {
                    if (rows > 0) {
                        log.info("{} tenants from before index generations taken to be at {}", rows, before);
                    }
                })
                .onErrorResume(error -> {
                    log.warn("Tenants from before index generations not adopted: {}", error.toString());
                    return Mono.empty();
                })
                .then();
        if (!properties.enabled()) {
            sweeping = adopted.subscribe();
            return;
        }
        sweeping = adopted.thenMany(Flux.interval(Duration.ZERO, properties.interval()))
                .onBackpressureDrop()
                .concatMap(tick -> sweep().onErrorResume(error -> {
                    log.warn("Re-index sweep did not finish: {}", error.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @Override
    public void stop(Runnable callback) {
        Disposable running = sweeping;
        if (running == null) {
            callback.run();
            return;
        }
        rebuild.stop();
        inFlight.timeout(STOP_WAIT).onErrorResume(error -> Mono.empty())
                .then(Mono.fromRunnable(running::dispose))
                .then(states.releaseAll(rebuild.instance()).timeout(STOP_WAIT))
                .doFinally(signal -> callback.run())
                .subscribe(null, error -> log.warn("Re-index leases not given up: {}", error.toString()));
    }

    @Override
    public void stop() {
        Disposable running = sweeping;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = sweeping;
        return running != null && !running.isDisposed();
    }
}
