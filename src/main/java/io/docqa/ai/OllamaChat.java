package io.docqa.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The chat model (Ollama through LangChain4j) as a cancellable {@link Flux}. Cancelling the stream, or any of its
 * timeouts, closes the HTTP connection to Ollama, which stops the generation. Each open stream holds one blocking
 * reader thread of the JDK HTTP client ({@code ollama-http-N}); callers bound how many streams are open at once.
 */
@Component
public class OllamaChat implements AutoCloseable {

    private final OllamaProperties properties;
    private final ExecutorService readers;
    private final StreamingChatModel model;
    private final WebClient web;
    private final AnswerTimeouts timeouts;

    OllamaChat(OllamaProperties properties) {
        this.properties = properties;
        this.readers = Executors.newCachedThreadPool(daemonThreads("ollama-http-"));
        java.net.http.HttpClient.Builder http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1);
        this.model = OllamaStreamingChatModel.builder()
                .httpClientBuilder(AbortableHttpClient.builder(http, readers).readTimeout(properties.answerTimeout()))
                .baseUrl(properties.baseUrl().toString())
                .modelName(properties.model())
                .temperature(properties.temperature())
                .numPredict(properties.maxOutputTokens())
                .build();
        this.web = WebClient.builder().baseUrl(properties.baseUrl().toString()).build();
        this.timeouts = new AnswerTimeouts(properties.firstTokenTimeout(), properties.stallTimeout(),
                properties.answerTimeout());
    }

    public String model() {
        return properties.model();
    }

    /** Whether the service needs the model; when it does not, callers answer without it while it is unreachable. */
    public boolean required() {
        return properties.required();
    }

    /**
     * Streams the answer to {@code messages}: tokens, then one {@link ChatChunk.Completed}. Fails with
     * {@link LlmException}. The request is sent on subscription; blank messages are left out.
     */
    public Flux<ChatChunk> stream(List<ChatTurn> messages) {
        List<ChatMessage> turns = toLangChain4j(messages);
        if (turns.isEmpty()) {
            return Flux.error(new IllegalArgumentException("At least one message must have text"));
        }
        ChatRequest request = ChatRequest.builder().messages(turns).build();
        Flux<ChatChunk> chunks = Flux.create(sink -> {
            Exchange exchange = new Exchange();
            sink.onCancel(exchange::abort);
            try {
                AbortableHttpClient.starting(exchange, () -> model.chat(request, new ChunkSink(sink, exchange, model())));
            }
            catch (RuntimeException e) {
                sink.error(LlmErrors.from(e, model()));
            }
        });
        return timeouts.apply(chunks);
    }

    /** Whether the model server answers at all (readiness). Never fails. */
    public Mono<Boolean> isAvailable() {
        return tags().map(tags -> true).onErrorReturn(false);
    }

    /** Whether the configured model is on the model server. Never fails. */
    public Mono<Boolean> hasModel() {
        String wanted = properties.model();
        return tags().map(tags -> tags.models() != null && tags.models().stream().anyMatch(tag ->
                        wanted.equals(tag.name()) || !wanted.contains(":") && (wanted + ":latest").equals(tag.name())))
                .onErrorReturn(false);
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }

    private Mono<Tags> tags() {
        return web.get().uri("/api/tags").retrieve().bodyToMono(Tags.class).timeout(properties.probeTimeout());
    }

    private static List<ChatMessage> toLangChain4j(List<ChatTurn> messages) {
        List<ChatMessage> turns = new ArrayList<>(messages.size());
        for (ChatTurn turn : messages) {
            if (turn.text().isBlank()) {
                continue;
            }
            turns.add(switch (turn.role()) {
                case SYSTEM -> SystemMessage.from(turn.text());
                case USER -> UserMessage.from(turn.text());
                case ASSISTANT -> AiMessage.from(turn.text());
            });
        }
        return turns;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    record Tags(List<Tag> models) {
    }

    record Tag(String name) {
    }
}
