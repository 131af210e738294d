package io.docqa.ai;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Blocking calls to Chroma on the bounded scheduler {@code chroma} ({@code docqa.chroma.max-concurrency} threads),
 * each within a timeout, with failures sorted by {@link ChromaFailures}.
 */
final class ChromaCalls implements AutoCloseable {

    private static final int QUEUED_CALLS_PER_THREAD = 128;

    private final Scheduler scheduler;
    private final Duration timeout;

    ChromaCalls(ChromaProperties properties) {
        this.scheduler = Schedulers.newBoundedElastic(properties.maxConcurrency(), QUEUED_CALLS_PER_THREAD, "chroma");
        this.timeout = properties.timeout();
    }

    <T> Mono<T> run(Callable<T> work) {
        return run(work, timeout);
    }

    /**
     * A call that times out or is cancelled is interrupted; the failure that follows has nobody to go to and is
     * dropped here rather than logged as an error by Reactor.
     */
    <T> Mono<T> run(Callable<T> work, Duration within) {
        return Mono.defer(() -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            return Mono.fromCallable(() -> {
                        try {
                            return work.call();
                        } catch (Exception e) {
                            if (cancelled.get()) {
                                return null;
                            }
                            throw e;
                        }
                    })
                    .subscribeOn(scheduler)
                    .doOnCancel(() -> cancelled.set(true))
                    .timeout(within)
                    .onErrorMap(ChromaFailures::translate);
        });
    }

    @Override
    public void close() {
        scheduler.dispose();
    }
}
