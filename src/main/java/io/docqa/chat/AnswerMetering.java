package io.docqa.chat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

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
 * model's counts (an error, a client gone) counts the tokens it streamed. An answer that ends normally is recorded by
 * the statement that saves it.
 */
@Component
class AnswerMetering {

    private static final Logger log = LoggerFactory.getLogger(AnswerMetering.class);

    private final OllamaChat model;
    private final UsageLedger ledger;

    AnswerMetering(OllamaChat model, UsageLedger ledger) {
        this.model = model;
        this.ledger = ledger;
    }

    /** The meter of one answer; {@code admitted}: the {@link System#nanoTime()} of the question's admission. */
    Meter start(Caller caller, AnswerQuotas.Ticket ticket, long admitted) {
        return new Meter(caller, ticket, admitted);
    }

    /** Records one answer once: with the statement that saves the answer ({@link #ending}), or else when it ends. */
    final class Meter {

        private final Caller caller;
        private final AnswerQuotas.Ticket ticket;
        private final long admitted;
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicBoolean saving = new AtomicBoolean();
        private final AtomicInteger streamed = new AtomicInteger();

        private Meter(Caller caller, AnswerQuotas.Ticket ticket, long admitted) {
            this.caller = caller;
            this.ticket = ticket;
            this.admitted = admitted;
        }

        /**
         * Saves an answer that ended as it should, as message {@code message}, with {@code usage} and {@code outcome}:
         * {@code save} is the statement that saves it, given the answer's usage record and quota settlement to run with it
         * (null when it was recorded already). Whether the message was saved (not when its conversation is gone); empty
         * when a client gone first had it saved ({@link #savesCancelled}). Once started it runs to its end, even when the
         * answer's client goes away meanwhile (the record must not be lost between the two). When it fails, the usage is
         * recorded alone, with the error's code, unless the statement committed before failing: then the answer is saved.
         */
        Mono<Boolean> ending(UUID message, ChatEvent.Usage usage, String outcome,
                Function<UsageLedger.Recording, Mono<Boolean>> save) {
            return Mono.deferContextual(context -> {
                if (!saving.compareAndSet(false, true)) {
                    return Mono.empty();
                }
                Mono<Boolean> saved;
                if (done.compareAndSet(false, true)) {
                    UsageLedger.Recording recording = ticket.settling(usage.completionTokens(), caller, answer(usage, outcome))
                            .of(message);
                    saved = Mono.defer(() -> save.apply(recording))
                            .onErrorResume(error -> {
                                log.warn("Could not save an answer: {}", error.toString());
                                return ledger.record(recording.endedWith(ChatErrors.toProblem(error).code()))
                                        .onErrorResume(again -> {
                                            log.warn("Could not record the usage of an answer: {}", again.toString());
                                            return Mono.just(false);
                                        })
                                        .flatMap(savedAfterAll -> savedAfterAll ? Mono.just(true) : Mono.error(error));
                            });
                }
                else {
                    saved = Mono.defer(() -> save.apply(null));
                }
                return Mono.fromFuture(saved.contextWrite(context).toFuture(), true);
            });
        }

        /**
         * Whether an answer whose client went away is to be saved as such: once, and not after its normal end started
         * being saved ({@link #ending}), which then runs to its end.
         */
        boolean savesCancelled() {
            return saving.compareAndSet(false, true);
        }

        /** {@code events} of the answer, recorded when they end, unless {@link #ending} did. */
        Flux<ChatEvent> around(Flux<ChatEvent> events) {
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
                        return end == null ? Mono.empty() : record(end.usage(), end.finishReason()).thenReturn(end);
                    }))
                    .onErrorResume(error -> record(new ChatEvent.Usage(0, streamed.get()), ChatErrors.toProblem(error).code())
                            .then(Mono.error(error)))
                    .doOnCancel(() -> record(new ChatEvent.Usage(0, streamed.get()), "cancelled").subscribe());
        }

        private Mono<Void> record(ChatEvent.Usage usage, String outcome) {
            if (!done.compareAndSet(false, true)) {
                return Mono.empty();
            }
            return ticket.settle(usage.completionTokens(), caller, answer(usage, outcome))
                    .onErrorResume(error -> {
                        log.warn("Could not record the usage of an answer: {}", error.toString());
                        return Mono.empty();
                    });
        }

        private UsageLedger.Answer answer(ChatEvent.Usage usage, String outcome) {
            boolean asked = !"not_covered".equals(outcome) && !NoModelAnswer.FINISH_REASON.equals(outcome);
            return new UsageLedger.Answer(asked ? model.model() : null, usage.promptTokens(), usage.completionTokens(),
                    Duration.ofNanos(System.nanoTime() - admitted), outcome);
        }
    }
}
