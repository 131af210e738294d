package io.docqa.ai;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The three limits of an answer as one {@code Flux.timeout}: until the first token, between tokens, and for the whole
 * answer (each timer is cut short by the answer's deadline). A limit that is hit cancels the stream upstream, which
 * aborts the request, and fails with a TIMEOUT that says which limit it was.
 * <p>
 * The limits measure the model, not whoever reads the answer: the timers see each chunk as it arrives, and chunks the
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

    <T> Flux<T> apply(Flux<T> chunks) {
        return Flux.defer(() -> {
            long deadline = now() + answer.toNanos();
            return chunks.timeout(timer(firstToken, deadline, "The model sent no first token within "),
                            chunk -> timer(stall, deadline, "The model stalled: no token for "))
                    .onBackpressureBuffer();
        });
    }

    private Mono<Void> timer(Duration limit, long deadline, String message) {
        long left = deadline - now();
        if (left < limit.toNanos()) {
            return Mono.delay(Duration.ofNanos(Math.max(0, left)))
                    .then(Mono.error(() -> timeout("The model did not finish its answer within " + human(answer))));
        }
        return Mono.delay(limit).then(Mono.error(() -> timeout(message + human(limit))));
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
