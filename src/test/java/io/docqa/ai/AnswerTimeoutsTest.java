package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The three limits with the production defaults, in virtual time. */
class AnswerTimeoutsTest {

    private final AnswerTimeouts timeouts = new AnswerTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(30),
            Duration.ofMinutes(5));
    private final AtomicBoolean cancelled = new AtomicBoolean();

    @Test
    void failsWhenTheFirstTokenTakesTooLong() {
        StepVerifier.withVirtualTime(() -> timeouts.apply(Flux.<Long>never().doOnCancel(() -> cancelled.set(true))))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(59))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(error -> assertTimeout(error, "The model sent no first token within 60 s"))
                .verify(Duration.ofSeconds(5));
        assertThat(cancelled).isTrue();
    }

    @Test
    void failsWhenTokensStall() {
        StepVerifier.withVirtualTime(() -> timeouts.apply(Flux.just(1L).concatWith(Flux.never())
                        .doOnCancel(() -> cancelled.set(true))))
                .expectNext(1L)
                .expectNoEvent(Duration.ofSeconds(29))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(error -> assertTimeout(error, "The model stalled: no token for 30 s"))
                .verify(Duration.ofSeconds(5));
        assertThat(cancelled).isTrue();
    }

    /** The stall limit counts from the newest token, not from the first or from when the answer's timer was set. */
    @Test
    void failsWhenTokensStallAfterSeveral() {
        StepVerifier.withVirtualTime(() -> timeouts.apply(Flux.interval(Duration.ofSeconds(20)).take(3).concatWith(Flux.never())
                        .doOnCancel(() -> cancelled.set(true))))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(60))
                .expectNextCount(3)
                .expectNoEvent(Duration.ofSeconds(29))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(error -> assertTimeout(error, "The model stalled: no token for 30 s"))
                .verify(Duration.ofSeconds(5));
        assertThat(cancelled).isTrue();
    }

    @Test
    void failsWhenTheWholeAnswerTakesTooLongEvenIfTokensKeepComing() {
        StepVerifier.withVirtualTime(() -> timeouts.apply(Flux.interval(Duration.ofSeconds(21))
                        .doOnCancel(() -> cancelled.set(true))))
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(5))
                .expectNextCount(14)
                .expectErrorSatisfies(error -> assertTimeout(error, "The model did not finish its answer within 300 s"))
                .verify(Duration.ofSeconds(5));
        assertThat(cancelled).isTrue();
    }

    @Test
    void letsAnAnswerWithinTheLimitsComplete() {
        StepVerifier.withVirtualTime(() -> timeouts.apply(Flux.interval(Duration.ofSeconds(25)).take(11)))
                .thenAwait(Duration.ofMinutes(5))
                .expectNextCount(11)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    /**
     * A reader that falls behind (a slow client, a busy event loop) is no stall of the model: the model sends a token
     * every 10 s and finishes, the reader takes the first and asks for the rest only minutes later. Measured after a
     * buffer, as a stream from {@code Flux.create} is, the stall limit fired 30 s after the first token.
     */
    @Test
    void aReaderThatFallsBehindIsNoStallOfTheModel() {
        StepVerifier.withVirtualTime(() -> timeouts.apply(Flux.interval(Duration.ofSeconds(10)).take(10)
                        .onBackpressureBuffer()), 1)
                .thenAwait(Duration.ofSeconds(10))
                .expectNext(0L)
                .expectNoEvent(Duration.ofMinutes(4))
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(9)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    /**
     * The model finishes while the timer, having found the stall limit hit, is on its way: the end that comes first
     * ends the answer. Here the model's end is made to come while the timer's timeout is being put together (when the
     * timeout becomes a value), so it comes first and the answer completes, with no TIMEOUT after it.
     */
    @Test
    void aModelThatFinishesBeforeTheTimersTimeoutArrivesCompletes() {
        Sinks.Many<Long> model = Sinks.many().unicast().onBackpressureBuffer();
        Hooks.onEachOperator("modelFinishesFirst", publisher -> publisher instanceof Fuseable.ScalarCallable<?> value
                && holdsTimeout(value) ? Mono.from(publisher).doOnSubscribe(subscription -> model.tryEmitComplete()) : publisher);
        try {
            StepVerifier.withVirtualTime(() -> timeouts.apply(model.asFlux()))
                    .then(() -> model.tryEmitNext(1L))
                    .expectNext(1L)
                    .thenAwait(Duration.ofSeconds(30))
                    .expectComplete()
                    .verify(Duration.ofSeconds(5));
        } finally {
            Hooks.resetOnEachOperator("modelFinishesFirst");
        }
    }

    private static boolean holdsTimeout(Fuseable.ScalarCallable<?> publisher) {
        Object value;
        try {
            value = publisher.call();
        } catch (Exception error) {
            return false;
        }
        return value instanceof LlmException || value instanceof Signal<?> signal && signal.getThrowable() instanceof LlmException;
    }

    /** The timer looks again about once per stall limit; thousands of looks do not nest one in the other. */
    @Test
    void aLongAnswerWithATinyStallLimitLooksThousandsOfTimes() {
        AnswerTimeouts tight = new AnswerTimeouts(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMinutes(10));
        StepVerifier.withVirtualTime(() -> tight.apply(Flux.interval(Duration.ofMillis(5))))
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(10))
                .thenConsumeWhile(token -> true)
                .expectErrorSatisfies(error -> assertTimeout(error, "The model did not finish its answer within 600 s"))
                .verify(Duration.ofSeconds(30));
    }

    private static void assertTimeout(Throwable error, String message) {
        assertThat(error).isInstanceOf(LlmException.class).hasMessage(message);
        assertThat(((LlmException) error).kind()).isEqualTo(LlmException.Kind.TIMEOUT);
    }
}
