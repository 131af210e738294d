package io.docqa.ai;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.scheduler.Schedulers;

/**
 * The three limits of an answer: until the first token, between tokens, and for the whole answer (each timer is cut
 * short by the answer's deadline). A limit that is hit cancels the stream upstream, which aborts the request, and fails
 * with a TIMEOUT that says which limit it was.
 * <p>
 * A token only notes when it arrived; one timer per answer checks when it fires whether a token came meanwhile and, if
 * so, waits again until the newest token's limit. An answer streaming 25 tokens a second thus sets a timer about once
 * per stall limit, not one per token (a timer set and cancelled per token cost more than the token's own work).
 * <p>
 * The limits measure the model, not whoever reads the answer: the times are taken as chunks arrive, and chunks the
 * reader has not asked for yet wait in a buffer after them (at most one answer's chunks, which the output cap bounds).
 * Behind the timers a slow client, or a busy event loop writing to it, would look like a model that stalled.
 */
final class AnswerTimeouts {

    private final Duration firstToken;
    private final Duration stall;
    private final Duration answer;

    AnswerTimeouts(Duration firstToken, Duration stall, Duration answer) {
        this.firstToken = firstToken;
        this.stall = stall;
        this.answer = answer;
    }

    /**
     * The model's chunks and the timer meet in one merge, as signals: whichever end comes first through it is the
     * answer's end, so a model that finished is never followed by a timeout, nor a timeout by a chunk.
     */
    <T> Flux<T> apply(Flux<T> chunks) {
        return Flux.defer(() -> {
            Watch watch = new Watch(now());
            Mono<Signal<T>> expired = expiry(watch).<Signal<T>>then(Mono.empty())
                    .onErrorResume(LlmException.class, timeout -> Mono.just(Signal.error(timeout)));
            return Flux.merge(chunks.doOnNext(chunk -> watch.lastChunk = now()).materialize(), expired)
                    .takeUntil(signal -> !signal.isOnNext())
                    .<T>dematerialize()
                    .onBackpressureBuffer();
        });
    }

    /**
     * Fails when a limit of the answer is hit; never completes. Until the first token it looks at least every stall
     * limit, so that a first token is followed by a look no later than its stall limit. Each look is a new subscription
     * of the same check, not one nested in the last: an answer looks thousands of times.
     */
    private Mono<Void> expiry(Watch watch) {
        return Mono.defer(() -> look(watch)).repeat().then();
    }

    /** Waits until the next look, or fails with the limit that was hit. */
    private Mono<Void> look(Watch watch) {
        long deadline = watch.started + answer.toNanos();
        long last = watch.lastChunk;
        boolean first = last == NONE;
        Duration limit = first ? firstToken : stall;
        long limitDue = (first ? watch.started : last) + limit.toNanos();
        long left = Math.min(deadline, limitDue) - now();
        if (left > 0) {
            return Mono.delay(Duration.ofNanos(first ? Math.min(left, stall.toNanos()) : left)).then();
        }
        if (deadline < limitDue) {
            return Mono.error(timeout("The model did not finish its answer within " + human(answer)));
        }
        return Mono.error(timeout((first ? "The model sent no first token within " : "The model stalled: no token for ")
                + human(limit)));
    }

    private static final long NONE = Long.MIN_VALUE;

    /** When one answer started, and when its newest chunk arrived ({@link #NONE} yet). */
    private static final class Watch {

        private final long started;
        private volatile long lastChunk = NONE;

        Watch(long started) {
            this.started = started;
        }
    }

    private static LlmException timeout(String message) {
        return new LlmException(LlmException.Kind.TIMEOUT, message);
    }

    private static long now() {
        return Schedulers.parallel().now(TimeUnit.NANOSECONDS);
    }

    private static String human(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
