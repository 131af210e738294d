package io.docqa.chat;

import java.util.ArrayList;
import java.util.List;
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
import io.docqa.tenant.Caller;
import io.docqa.web.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.publisher.SignalType;
import reactor.util.function.Tuple2;

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
        return settings.of(caller.tenantId())
                .flatMap(tenant -> answer(caller, asked.withDefaultTopK(tenant.defaultTopK()), earlier, tenant));
    }

    /** With the tenant's settings: its model, temperature and instructions, and its default top_k already applied. */
    private Mono<Flux<ChatEvent>> answer(Caller caller, ChatLimits.Question question, List<ChatTurn> earlier,
            TenantSettings tenant) {
        Mono<Conversation> conversation = question.conversationId() == null
                ? Mono.empty()
                : conversations.find(caller, question.conversationId())
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Conversation")));
        return conversation.map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                .flatMap(existing -> retrieval.checkDocuments(caller.tenantId(), question.documentIds())
                        .then(retrieval.checkEmbedder()).thenReturn(existing))
                .flatMap(existing -> quotas.admit(caller.tenantId(), model.maxOutputTokens())
                        .flatMap(ticket -> gate.reserve(caller.tenantId(), caller.actorId())
                                .onErrorResume(refused -> ticket.refund().then(Mono.error(refused)))
                                .map(reservation -> metering.meter(caller, ticket,
                                        stream(caller, question, existing.orElse(null), earlier, reservation, tenant)))))
                .map(metrics::observe);
    }

    /**
     * The conversation rows and the retrieval run at the same time: neither needs the other, and the time to the
     * first token is their longer one instead of their sum. A follow-up question first reads the conversation, whose
     * earlier questions it is searched with. A failed retrieval still leaves the question recorded.
     */
    private Flux<ChatEvent> stream(Caller caller, ChatLimits.Question question, Conversation existing,
            List<ChatTurn> earlier, GenerationGate.Reservation reservation, TenantSettings tenant) {
        Mono<Tuple2<Recorded, Signal<List<Source>>>> recordedAndFound = existing == null
                ? Mono.zip(conversations.create(caller, title(question.text()))
                                .flatMap(created -> addQuestion(caller, question, new Recorded(created, earlier))),
                        find(caller, question, userQuestions(earlier)))
                : history(caller, existing).flatMap(recorded -> Mono.zip(addQuestion(caller, question, recorded),
                        find(caller, question, userQuestions(recorded.history()))));
        // detached once done: the answer that streams after it does not hold the subscriptions that recorded and searched
        return recordedAndFound.doOnSubscribe(subscription -> reservation.attach()).onTerminateDetach().flatMapMany(both -> {
            Recorded recorded = both.getT1();
            UUID conversationId = recorded.conversation().id();
            Signal<List<Source>> sources = both.getT2();
            return Flux.concat(
                    Mono.just(new ChatEvent.Started(conversationId)),
                    Mono.just(sources).<List<Source>>dematerialize()
                            .flatMapMany(passages -> Flux.concat(Mono.just(new ChatEvent.Sources(passages)),
                                    generate(caller, conversationId, question, passages, recorded.history(), reservation, tenant))));
        }).doFinally(signal -> reservation.cancel());
    }

    private Mono<Signal<List<Source>>> find(Caller caller, ChatLimits.Question question, List<String> earlierQuestions) {
        return retrieval.search(caller.tenantId(), question, earlierQuestions).materialize();
    }

    /** The turns of the conversation before the question. */
    private Mono<Recorded> history(Caller caller, Conversation existing) {
        return conversations.recent(caller.tenantId(), existing.id(), HISTORY_MESSAGES)
                .map(message -> "user".equals(message.role()) ? ChatTurn.user(message.content()) : ChatTurn.assistant(message.content()))
                .collectList()
                .map(turns -> new Recorded(existing, turns));
    }

    private Mono<Recorded> addQuestion(Caller caller, ChatLimits.Question question, Recorded recorded) {
        return conversations.add(caller.tenantId(), recorded.conversation().id(),
                        new Conversations.NewMessage("user", question.text(), null, null, null, null))
                .thenReturn(recorded);
    }

    private static List<String> userQuestions(List<ChatTurn> history) {
        return history.stream().filter(turn -> turn.role() == ChatTurn.Role.USER).map(ChatTurn::text).toList();
    }

    private record Recorded(Conversation conversation, List<ChatTurn> history) {
    }

    private Flux<ChatEvent> generate(Caller caller, UUID conversationId, ChatLimits.Question question, List<Source> sources,
            List<ChatTurn> history, GenerationGate.Reservation reservation, TenantSettings tenant) {
        if (sources.isEmpty()) {
            reservation.cancel();
            return Flux.concat(Mono.just(new ChatEvent.Token(PromptBuilder.NOTHING_FOUND)),
                    save(caller, conversationId, PromptBuilder.NOTHING_FOUND, sources, new ChatEvent.Usage(0, 0), "not_covered"));
        }
        StringBuilder answer = new StringBuilder();
        AtomicReference<ChatChunk.Completed> completed = new AtomicReference<>();
        Flux<ChatEvent> tokens = metrics.queueWait(reservation.granted())
                .flatMapMany(permit -> Flux.usingWhen(clusterCap.take(),
                                place -> model.stream(prompts.build(question.text(), passages(sources), history, tenant.instructions()),
                                        tenant.model(), tenant.temperature()),
                                place -> Mono.fromRunnable(place))
                        .doFinally(signal -> permit.release()))
                .handle((chunk, sink) -> {
                    if (chunk instanceof ChatChunk.Token token) {
                        answer.append(token.text());
                        sink.next(new ChatEvent.Token(token.text()));
                    }
                    else if (chunk instanceof ChatChunk.Completed done) {
                        completed.set(done);
                    }
                });
        return tokens
                .concatWith(Mono.defer(() -> {
                    ChatChunk.Completed done = completed.get();
                    ChatEvent.Usage usage = done == null ? new ChatEvent.Usage(0, 0)
                            : new ChatEvent.Usage(done.promptTokens(), done.completionTokens());
                    return save(caller, conversationId, answer.toString(), sources, usage,
                            done == null ? "stop" : done.finishReason()).next();
                }))
                .onErrorResume(error -> answer.isEmpty() && !model.required() && NoModelAnswer.applies(error)
                        ? withoutModel(caller, conversationId, sources)
                        : save(caller, conversationId, answer.toString(), sources, new ChatEvent.Usage(0, 0), "error")
                                .then(Mono.error(ChatErrors.toProblem(error))))
                .doFinally(signal -> {
                    if (signal == SignalType.CANCEL) {
                        save(caller, conversationId, answer.toString(), sources, new ChatEvent.Usage(0, 0), "cancelled")
                                .subscribe(null, e -> log.warn("Could not record a cancelled answer: {}", e.toString()));
                    }
                });
    }

    /** The model is unreachable before it said anything, and the service runs without one: the passages, verbatim. */
    private Flux<ChatEvent> withoutModel(Caller caller, UUID conversationId, List<Source> sources) {
        String text = NoModelAnswer.text(sources);
        return Flux.concat(Mono.just(new ChatEvent.Token(text)),
                save(caller, conversationId, text, sources, new ChatEvent.Usage(0, 0), NoModelAnswer.FINISH_REASON));
    }

    private Flux<ChatEvent> save(Caller caller, UUID conversationId, String answer, List<Source> sources,
            ChatEvent.Usage usage, String finishReason) {
        return conversations.add(caller.tenantId(), conversationId, new Conversations.NewMessage("assistant", answer, sources,
                        usage.promptTokens(), usage.completionTokens(), finishReason))
                .map(message -> (ChatEvent) new ChatEvent.Done(message.id(), conversationId, finishReason, usage))
                .flux();
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
