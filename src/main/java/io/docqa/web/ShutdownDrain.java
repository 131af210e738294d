package io.docqa.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The first step of a shutdown, before the web server's graceful stop: readiness says "refusing traffic" while the
 * instance keeps serving for {@code docqa.shutdown.drain-period}; then every open stream ({@link #endedAtShutdown})
 * ends with a {@code 503 shutting_down} problem and a retry hint instead of being cut, and the server's graceful
 * shutdown waits for those responses to finish.
 */
@Component
public class ShutdownDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Duration drainPeriod;
    private final ApplicationEventPublisher events;
    private volatile Sinks.One<Boolean> ended = Sinks.one();
    private volatile boolean running;

    ShutdownDrain(ShutdownProperties properties, ApplicationEventPublisher events) {
        this.drainPeriod = properties.drainPeriod();
        this.events = events;
    }

    /** The stream as it is, unless the instance stops first: then it ends with a {@code shutting_down} error. */
    public <T> Flux<T> endedAtShutdown(Flux<T> stream) {
        return Flux.defer(() -> {
            AtomicBoolean cut = new AtomicBoolean();
            return stream.takeUntilOther(ended.asMono().doOnNext(signal -> cut.set(true)))
                    .concatWith(Mono.defer(() -> cut.get() ? Mono.error(shuttingDown()) : Mono.empty()));
        });
    }

    static ApiException shuttingDown() {
        return ApiException.unavailable("shutting_down", "This instance is shutting down; send the request again",
                RETRY_AFTER);
    }

    /** Started again after a stop, streams run until the next stop. */
    @Override
    public void start() {
        if (!running) {
            ended = Sinks.one();
        }
        running = true;
    }

    /**
     * Not stopped when a context is only paused (Spring's test context cache pauses the contexts it does not use):
     * a pause is no shutdown, and the streams of a paused context are not ended.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** Without a drain (a plain stop of the context): open streams end at once. */
    @Override
    public void stop() {
        running = false;
        ended.tryEmitValue(true);
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        log.info("Shutting down: not ready, serving for {} more before open streams are ended", drainPeriod);
        Mono.delay(drainPeriod)
                .doFinally(signal -> {
                    ended.tryEmitValue(true);
                    callback.run();
                })
                .subscribe(null, error -> log.warn("The shutdown drain ended early: {}", error.toString()));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server's graceful shutdown (which stops in a lower phase, so after this one). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
