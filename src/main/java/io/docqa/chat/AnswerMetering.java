package io.docqa.chat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import io.docqa.ai.OllamaChat;
import io.docqa.limits.AnswerQuotas;
import io.docqa.limits.UsageLedger;
import io.docqa.tenant.Caller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Meters one answer, however it ends: a usage record (model, Ollama's token counts, the time since admission, the
 * finish reason or error code) and the settlement of its quota ticket, each once. An answer that ends without the
 * model's counts (an error, a client gone) counts the tokens it streamed.
 */
@Component
class AnswerMetering {

    private static final Logger log = LoggerFactory.getLogger(AnswerMetering.class);

    private final OllamaChat model;

    AnswerMetering(OllamaChat model) {
        this.model = model;
    }

    /** {@code admitted}: the {@link System#nanoTime()} of the question's admission. */
    Flux<ChatEvent> meter(Caller caller, AnswerQuotas.Ticket ticket, long admitted, Flux<ChatEvent> events) {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger streamed = new AtomicInteger();
        AtomicReference<ChatEvent.Done> last = new AtomicReference<>();
        // done is an answer's last event: held back until its answer is recorded, every other event passes as it is
        return events
                .filter(event -> {
                    if (event instanceof ChatEvent.Token) {
                        streamed.incrementAndGet();
                        return true;
                    }
                    return !(event instanceof ChatEvent.Done end && last.compareAndSet(null, end));
                })
                .concatWith(Mono.defer(() -> {
                    ChatEvent.Done end = last.get();
                    return end == null ? Mono.empty()
                            : record(caller, ticket, done, admitted, end.usage(), end.finishReason()).thenReturn(end);
                }))
                .onErrorResume(error -> record(caller, ticket, done, admitted, new ChatEvent.Usage(0, streamed.get()),
                        ChatErrors.toProblem(error).code()).then(Mono.error(error)))
                .doOnCancel(() -> record(caller, ticket, done, admitted, new ChatEvent.Usage(0, streamed.get()), "cancelled")
                        .subscribe());
    }

    private Mono<Void> record(Caller caller, AnswerQuotas.Ticket ticket, AtomicBoolean done, long admitted, ChatEvent.Usage usage,
            String outcome) {
        if (!done.compareAndSet(false, true)) {
            return Mono.empty();
        }
        boolean asked = !"not_covered".equals(outcome) && !NoModelAnswer.FINISH_REASON.equals(outcome);
        UsageLedger.Answer answer = new UsageLedger.Answer(asked ? model.model() : null, usage.promptTokens(),
                usage.completionTokens(), Duration.ofNanos(System.nanoTime() - admitted), outcome);
        return ticket.settle(usage.completionTokens(), caller, answer)
                .onErrorResume(error -> {
                    log.warn("Could not record the usage of an answer: {}", error.toString());
                    return Mono.empty();
                });
    }
}
