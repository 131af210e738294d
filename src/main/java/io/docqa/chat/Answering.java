package io.docqa.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import io.docqa.ai.ChatChunk;
import io.docqa.ai.ChatTurn;
import io.docqa.ai.LlmException;
import io.docqa.ai.OllamaChat;
import io.docqa.limits.AnswerQuotas;
import io.docqa.limits.UsageLedger;
import io.docqa.tenant.Caller;
import io.docqa.web.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.publisher.SignalType;

/**
 * Answers a question from the caller's documents: admission to the model, retrieval, the prompt, the token stream,
 * and the conversation record — including what was generated before a client went away.
 */
@Service
class Answering {

    private static final Logger log = LoggerFactory.getLogger(Answering.class);
    private static final int HISTORY_MESSAGES = 20;

    private final Conversations conversations;
    private final Retrieval retrieval;
    private final GenerationGate gate;
    private final ClusterGenerationCap clusterCap;
    private final PromptBuilder prompts;
    private final OllamaChat model;
    private final AnswerQuotas quotas;
    private final AnswerMetering metering;
    private final AnswerMetrics metrics;
    private final AnswerSettings settings;

    Answering(Conversations conversations, Retrieval retrieval, GenerationGate gate, ClusterGenerationCap clusterCap,
            PromptBuilder prompts, OllamaChat model, AnswerQuotas quotas, AnswerMetering metering, AnswerMetrics metrics,
            AnswerSettings settings) {
        this.quotas = quotas;
        this.metering = metering;
        this.metrics = metrics;
        this.settings = settings;
        this.conversations = conversations;
        this.retrieval = retrieval;
        this.gate = gate;
        this.clusterCap = clusterCap;
        this.prompts = prompts;
        this.model = model;
    }

    /**
     * Everything that can be refused is checked before the first event: unknown conversation or documents (404), an embedding model that cannot be loaded (503),
     * a used-up quota of the tenant (429, see {@link AnswerQuotas}), a full queue (429). Each answer is metered ({@link AnswerMetering}). The returned stream then never fails; an error arrives as its last element instead.
     */
    Mono<Flux<ChatEvent>> answer(Caller caller, ChatLimits.Question question) {
        return answer(caller, question, List.of());
    }

    /**
     * The same, for a client that keeps the conversation itself (OpenAI's protocol): {@code earlier} are its turns
     * before the question, oldest first, and feed the search and the prompt as a stored conversation's would. The
     * question and its answer are recorded in a conversation of their own.
     */
    Mono<Flux<ChatEvent>> answer(Caller caller, ChatLimits.Question asked, List<ChatTurn> earlier) {
        Mono<Optional<Recorded>> existing = asked.conversationId() == null
                ? Mono.just(Optional.empty())
                : conversations.recent(caller, asked.conversationId(), HISTORY_MESSAGES)
                        .map(recent -> Optional.of(Recorded.of(recent)))
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Conversation")));
        return existing.flatMap(found -> admitAndFind(caller, asked, found.orElse(null), earlier));
    }

    /**
     * What the first token waits for runs at the same time, so that it waits for the longest instead of the sum: the
     * checks, the quota admission, a slot reservation and the question's record with the tenant's settings (its default
     * top_k applies to this question), in this order (a refusal leaves no record and takes no quota); the retrieval
     * (a follow-up searches with its conversation, read before). A refusal cancels the rest. What was admitted is given
     * back when the answer does not start. A failed retrieval still leaves the question recorded: its error is the
     * stream's.
     */
    private Mono<Flux<ChatEvent>> admitAndFind(Caller caller, ChatLimits.Question asked, Recorded existing,
            List<ChatTurn> earlier) {
        AtomicReference<Admitted> held = new AtomicReference<>();
        Mono<Asked> recorded = retrieval.checkDocuments(caller.tenantId(), asked.documentIds())
                .then(Mono.defer(retrieval::checkEmbedder))
                .then(admit(caller))
                .doOnNext(held::set)
                .then(record(caller, asked, existing, earlier));
        List<ChatTurn> history = existing == null ? earlier : existing.history();
        Mono<Signal<Retrieval.Found>> found = retrieval.find(caller.tenantId(), asked, userQuestions(history)).materialize();
        return Mono.zip(recorded, found)
                .flatMap(both -> {
                    Admitted admitted = held.getAndSet(null);
                    if (admitted == null) {
                        return Mono.empty(); // given back: the caller went away meanwhile
                    }
                    TenantSettings tenant = both.getT1().settings();
                    ChatLimits.Question question = asked.withDefaultTopK(tenant.defaultTopK());
                    AnswerMetering.Meter meter = metering.start(caller, admitted.ticket(), admitted.at());
                    return Mono.just(metrics.observe(admitted.at(), meter.around(stream(caller, question, both.getT1().recorded(),
                            both.getT2(), admitted.reservation(), tenant, meter))));
                })
                .doOnError(error -> giveBack(held))
                .doOnCancel(() -> giveBack(held));
    }

    private Mono<Admitted> admit(Caller caller) {
        return quotas.admit(caller.tenantId(), model.maxOutputTokens())
                .flatMap(ticket -> gate.reserve(caller.tenantId(), caller.actorId())
                        .onErrorResume(refused -> ticket.refund().then(Mono.error(refused)))
                        .map(reservation -> new Admitted(ticket, reservation, System.nanoTime())));
    }

    private static void giveBack(AtomicReference<Admitted> held) {
        Admitted admitted = held.getAndSet(null);
        if (admitted != null) {
            admitted.reservation().cancel();
            admitted.ticket().refund()
                    .subscribe(null, error -> log.warn("Could not give back the quota of a question: {}", error.toString()));
        }
    }

    /**
     * The question recorded: a new conversation started with it, or added to the existing one; each one statement that
     * also reads the tenant's settings.
     */
    private Mono<Asked> record(Caller caller, ChatLimits.Question question, Recorded existing, List<ChatTurn> earlier) {
        if (existing == null) {
            return conversations.start(caller, title(question.text()), question.text())
                    .map(started -> new Asked(new Recorded(started.conversation(), earlier), settings.effective(started.settings())));
        }
        return conversations.ask(caller.tenantId(), existing.conversation().id(), question.text())
                .map(stored -> new Asked(existing, settings.effective(stored)));
    }

    private Flux<ChatEvent> stream(Caller caller, ChatLimits.Question question, Recorded recorded,
            Signal<Retrieval.Found> found, GenerationGate.Reservation reservation, TenantSettings tenant, AnswerMetering.Meter meter) {
        UUID conversationId = recorded.conversation().id();
        return Flux.concat(
                        Mono.just(new ChatEvent.Started(conversationId)),
                        Mono.just(found).<Retrieval.Found>dematerialize()
                                .map(candidates -> retrieval.sources(question, candidates))
                                .flatMapMany(passages -> Flux.concat(Mono.just(new ChatEvent.Sources(passages)),
                                        generate(new Ending(caller, conversationId, meter), question, passages, recorded.history(), reservation,
                                                tenant))))
                .doOnSubscribe(subscription -> reservation.attach())
                .doFinally(signal -> reservation.cancel());
    }

    private static List<String> userQuestions(List<ChatTurn> history) {
        return history.stream().filter(turn -> turn.role() == ChatTurn.Role.USER).map(ChatTurn::text).toList();
    }

    /** The conversation of a question and its turns before the question. */
    private record Recorded(Conversation conversation, List<ChatTurn> history) {

        static Recorded of(Conversations.Recent recent) {
            return new Recorded(recent.conversation(), recent.messages().stream()
                    .map(message -> "user".equals(message.role()) ? ChatTurn.user(message.content()) : ChatTurn.assistant(message.content()))
                    .toList());
        }
    }

    /** A question recorded, and the tenant's settings read with it. */
    private record Asked(Recorded recorded, TenantSettings settings) {
    }

    /** Where an answer is saved, and its meter (the normal ends are recorded by the statement that saves them). */
    private record Ending(Caller caller, UUID conversationId, AnswerMetering.Meter meter) {
    }

    /** What an admitted question holds until its answer starts: its quota ticket, its slot reservation, and since when. */
    private record Admitted(AnswerQuotas.Ticket ticket, GenerationGate.Reservation reservation, long at) {
    }

    private Flux<ChatEvent> generate(Ending ending, ChatLimits.Question question, List<Source> sources,
            List<ChatTurn> history, GenerationGate.Reservation reservation, TenantSettings tenant) {
        if (sources.isEmpty()) {
            reservation.cancel();
            return Flux.concat(Mono.just(new ChatEvent.Token(PromptBuilder.NOTHING_FOUND)),
                    end(ending, PromptBuilder.NOTHING_FOUND, sources, new ChatEvent.Usage(0, 0), "not_covered"));
        }
        StringBuilder answer = new StringBuilder();
        AtomicReference<ChatChunk.Completed> completed = new AtomicReference<>();
        Flux<ChatEvent> tokens = metrics.queueWait(reservation.granted())
                .flatMapMany(permit -> Flux.usingWhen(clusterCap.take(),
                                place -> model.stream(prompts.build(question.text(), passages(sources), history, tenant.instructions()),
                                        tenant.model(), tenant.temperature()),
                                place -> Mono.fromRunnable(place))
                        .doFinally(signal -> permit.release()))
                // filter and map rather than handle, which restores the thread locals of the context for every token
                .filter(chunk -> {
                    if (chunk instanceof ChatChunk.Completed done) {
                        completed.set(done);
                        return false;
                    }
                    return true;
                })
                .map(chunk -> {
                    String text = ((ChatChunk.Token) chunk).text();
                    answer.append(text);
                    return new ChatEvent.Token(text);
                });
        return tokens
                .concatWith(Mono.defer(() -> {
                    ChatChunk.Completed done = completed.get();
                    ChatEvent.Usage usage = done == null ? new ChatEvent.Usage(0, 0)
                            : new ChatEvent.Usage(done.promptTokens(), done.completionTokens());
                    return end(ending, answer.toString(), sources, usage, done == null ? "stop" : done.finishReason()).next();
                }))
                .onErrorResume(error -> answer.isEmpty() && !model.required() && NoModelAnswer.applies(error)
                        ? withoutModel(ending, sources)
                        : save(ending, answer.toString(), sources, new ChatEvent.Usage(0, 0), "error")
                                .then(Mono.error(ChatErrors.toProblem(error))))
                .doFinally(signal -> {
                    if (signal == SignalType.CANCEL && ending.meter().savesCancelled()) {
                        save(ending, answer.toString(), sources, new ChatEvent.Usage(0, 0), "cancelled")
                                .subscribe(null, e -> log.warn("Could not record a cancelled answer: {}", e.toString()));
                    }
                });
    }

    /** The model is unreachable before it said anything, and the service runs without one: the passages, verbatim. */
    private Flux<ChatEvent> withoutModel(Ending ending, List<Source> sources) {
        String text = NoModelAnswer.text(sources);
        return Flux.concat(Mono.just(new ChatEvent.Token(text)),
                end(ending, text, sources, new ChatEvent.Usage(0, 0), NoModelAnswer.FINISH_REASON));
    }

    /** The answer ended as it should: saved together with its usage record and quota settlement, in one statement. */
    private Flux<ChatEvent> end(Ending ending, String answer, List<Source> sources, ChatEvent.Usage usage, String finishReason) {
        UUID id = UUID.randomUUID();
        return ending.meter().ending(id, usage, finishReason, recording -> save(ending, id, answer, sources, usage, finishReason, recording))
                .flatMap(saved -> saved ? Mono.just(new ChatEvent.Done(id, ending.conversationId(), finishReason, usage))
                        : Mono.<ChatEvent>error(ApiException.notFound("Conversation")))
                .flux();
    }

    private Flux<ChatEvent> save(Ending ending, String answer, List<Source> sources, ChatEvent.Usage usage, String finishReason) {
        return save(ending, UUID.randomUUID(), answer, sources, usage, finishReason, null).thenMany(Flux.empty());
    }

    private Mono<Boolean> save(Ending ending, UUID id, String answer, List<Source> sources, ChatEvent.Usage usage,
            String finishReason, UsageLedger.Recording recording) {
        return conversations.add(ending.caller().tenantId(), ending.conversationId(), id, new Conversations.NewMessage("assistant",
                answer, sources, usage.promptTokens(), usage.completionTokens(), finishReason), recording);
    }

    private static List<Passage> passages(List<Source> sources) {
        List<Passage> passages = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            passages.add(new Passage(i + 1, sources.get(i).filename(), sources.get(i).text()));
        }
        return passages;
    }

    private static String title(String question) {
        String line = question.strip().replaceAll("\\s+", " ");
        return line.length() <= 80 ? line : line.substring(0, 79) + "…";
    }

}
