package io.docqa.document;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every {@code docqa.index-rebuild.interval}, finds the tenants whose vectors are not all in the configured index
 * generation and that no other instance is re-indexing, and re-indexes them one after the other ({@link IndexRebuild}):
 * one tenant at a time per instance, so the work never takes more than one core. When the service stops, its leases are
 * given up so that another instance (or this one, started again) goes on at once from where the work stood.
 */
@Component
class IndexRebuilds implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IndexRebuilds.class);
    private static final int TENANTS_PER_SWEEP = 20;

    private final IndexRebuild rebuild;
    private final VectorIndexes states;
    private final IndexGenerations generations;
    private final IndexRebuildProperties properties;
    private final AtomicLong behind = new AtomicLong();
    private volatile Disposable sweeping;

    IndexRebuilds(IndexRebuild rebuild, VectorIndexes states, IndexGenerations generations, IndexRebuildProperties properties,
            MeterRegistry meters) {
        this.rebuild = rebuild;
        this.states = states;
        this.generations = generations;
        this.properties = properties;
        Gauge.builder("docqa.index.rebuild.tenants", behind, AtomicLong::get)
                .description("Tenants whose vectors are not all in the configured index generation yet").register(meters);
    }

    /** One round: the number of tenants switched over to the configured generation. */
    Mono<Long> sweep() {
        String configured = generations.configured().id();
        return states.withWork(configured, rebuild.instance(), TENANTS_PER_SWEEP, properties.retireGrace())
                .concatMap(tenant -> rebuild.run(tenant).onErrorResume(error -> {
                    log.warn("Re-index of tenant {} stopped; it goes on at the next round: {}", tenant, error.toString());
                    return Mono.empty();
                }))
                .filter(outcome -> outcome == IndexRebuild.Outcome.SWITCHED)
                .count()
                .flatMap(switched -> states.behind(configured).doOnNext(behind::set).thenReturn(switched));
    }

    /**
     * Adopts the tenants from before index generations ({@link VectorIndexes#adopt}), then sweeps every
     * {@code interval} if this instance re-indexes.
     */
    @Override
    public void start() {
        String configured = generations.configured().id();
        Mono<Void> adopted = states.adopt(configured)
                .doOnNext(rows -> {
                    if (rows > 0) {
                        log.info("{} tenants from before index generations taken to be at {}", rows, configured);
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
        running.dispose();
        states.releaseAll(rebuild.instance())
                .timeout(Duration.ofSeconds(5))
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
