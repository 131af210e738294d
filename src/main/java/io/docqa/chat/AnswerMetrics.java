package io.docqa.chat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.stereotype.Component;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What answering looks like to an operator: how long the first token takes, how fast tokens come, how answers end,
 * and the model's queue. No tenant or user is a tag (see README "Metrics").
 */
@Component
class AnswerMetrics {

    private final MeterRegistry meters;
    private final Timer firstToken;
    private final DistributionSummary tokensPerSecond;
    private final DistributionSummary completionTokens;
    private final Timer queueWait;

    AnswerMetrics(MeterRegistry meters, GenerationGate gate) {
        this.meters = meters;
        this.firstToken = Timer.builder("docqa.answer.first_token")
                .description("From the start of an answer that has passages to its first token (retrieval and queue included)")
                .register(meters);
        this.tokensPerSecond = DistributionSummary.builder("docqa.answer.tokens_per_second")
                .description("Completion tokens of a generated answer per second, from its first token to its end")
                .register(meters);
        this.completionTokens = DistributionSummary.builder("docqa.answer.completion_tokens")
                .description("Tokens the model generated for one answer").baseUnit("tokens")
                .register(meters);
        this.queueWait = Timer.builder("docqa.generation.queue.wait")
                .description("From asking for a generation slot to getting one").register(meters);
        Gauge.builder("docqa.generation.queue.depth", gate, GenerationGate::waiting)
                .description("Answers waiting for a generation slot on this instance").register(meters);
        Gauge.builder("docqa.generation.active", gate, GenerationGate::inFlight)
                .description("Answers being generated on this instance").register(meters);
    }

    /** Times the wait for a slot; a wait given up is not counted. */
    <T> Mono<T> queueWait(Mono<T> slot) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return slot.doOnNext(granted -> queueWait.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
        });
    }

    /**
     * Observes one answer's events (the stream that never fails: an error arrives as a problem); {@code started}: the
     * {@link System#nanoTime()} its first token is timed from, its admission (the retrieval runs meanwhile).
     */
    Flux<ChatEvent> observe(long started, Flux<ChatEvent> events) {
        return Flux.defer(() -> {
            Answer answer = new Answer(started);
            return events.doOnNext(answer::saw)
                    .doOnError(error -> answer.end(ChatErrors.toProblem(error).code()))
                    .doOnCancel(() -> answer.end("cancelled"));
        });
    }

    /** The state of one answer. Events of one stream arrive one at a time. */
    private final class Answer {

        private final long started;
        private boolean hasPassages;
        private long firstTokenAt;
        private final AtomicBoolean ended = new AtomicBoolean();

        Answer(long started) {
            this.started = started;
        }

        void saw(ChatEvent event) {
            if (event instanceof ChatEvent.Sources sources) {
                hasPassages = !sources.sources().isEmpty();
            }
            else if (event instanceof ChatEvent.Token && firstTokenAt == 0) {
                firstTokenAt = System.nanoTime();
                if (hasPassages) {
                    firstToken.record(firstTokenAt - started, TimeUnit.NANOSECONDS);
                }
            }
            else if (event instanceof ChatEvent.Done done) {
                end(done.finishReason());
                int tokens = done.usage().completionTokens();
                if (tokens > 0) {
                    completionTokens.record(tokens);
                    long nanos = System.nanoTime() - firstTokenAt;
                    if (firstTokenAt != 0 && tokens > 1 && nanos > 0) {
                        tokensPerSecond.record(tokens * 1e9 / nanos);
                    }
                }
            }
        }

        /** Counts the answer once, by how it ended. */
        void end(String outcome) {
            if (ended.compareAndSet(false, true)) {
                Counter.builder("docqa.answers").description("Answers by how they ended: a finish reason or a problem code")
                        .tag("outcome", outcome).register(meters).increment();
            }
        }
    }
}
