package io.docqa.ai;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chat model (Ollama through LangChain4j) as a cancellable {@link Flux}, over one HTTP client
 * ({@link ReactorHttpClient}) whose event loops {@code ollama-http} read every stream: an open stream holds a connection
 * and no thread. Each answer has a connection of its own, so cancelling the stream, or any of its timeouts, closes that
 * connection, which stops the generation; callers bound how many streams are open at once.
 */
@Component
public class OllamaChat implements AutoCloseable {

    private static final String CALLS = "docqa.ollama.requests";

    private final OllamaProperties properties;
    private final LoopResources loops = LoopResources.create("ollama-http");
    private final ReactorHttpClient http;
    private final StreamingChatModel model;
    private final AnswerTimeouts timeouts;
    private final CallObservations observations;
    private final Timer firstToken;

    OllamaChat(OllamaProperties properties) {
        this(properties, CallObservations.none());
    }

    @Autowired
    OllamaChat(OllamaProperties properties, ObservationRegistry observations, MeterRegistry meters) {
        this(properties, new CallObservations(observations, meters));
    }

    private OllamaChat(OllamaProperties properties, CallObservations observations) {
        this.properties = properties;
        this.observations = observations;
        this.firstToken = Timer.builder("docqa.ollama.first_token")
                .description("From sending a chat request to the model server to the first piece of its answer")
                .register(observations.meters());
        ReactorHttpClient.Builder client = ReactorHttpClient.builder(ConnectionProvider.newConnection(), loops);
        this.http = client.readTimeout(properties.probeTimeout()).build();
        this.model = OllamaStreamingChatModel.builder()
                .httpClientBuilder(client.readTimeout(properties.answerTimeout()))
                .baseUrl(properties.baseUrl().toString())
                .modelName(properties.model())
                .temperature(properties.temperature())
                .numPredict(properties.maxOutputTokens())
                .build();
        this.timeouts = new AnswerTimeouts(properties.firstTokenTimeout(), properties.stallTimeout(),
                properties.answerTimeout());
    }

    public String model() {
        return properties.model();
    }

    /** The sampling temperature of an answer that names none. */
    public double temperature() {
        return properties.temperature();
    }

    /** The most tokens one answer can generate ({@code num_predict}). */
    public int maxOutputTokens() {
        return properties.maxOutputTokens();
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
        return stream(messages, properties.model(), properties.temperature());
    }

    /** The same, from the model {@code modelName} at {@code temperature} (a tenant's settings). */
    public Flux<ChatChunk> stream(List<ChatTurn> messages, String modelName, double temperature) {
        List<ChatMessage> turns = toLangChain4j(messages);
        if (turns.isEmpty()) {
            return Flux.error(new IllegalArgumentException("At least one message must have text"));
        }
        ChatRequest request = ChatRequest.builder().messages(turns).modelName(modelName).temperature(temperature).build();
        Flux<ChatChunk> chunks = Flux.create(sink -> {
            Disposable.Composite exchange = Disposables.composite();
            sink.onCancel(exchange);
            try {
                ReactorHttpClient.starting(exchange, () -> model.chat(request, new ChunkSink(sink, exchange, modelName)));
            }
            catch (RuntimeException e) {
                sink.error(LlmErrors.from(e, modelName));
            }
        });
        return observations.flux(CALLS, "chat", timeouts.apply(chunks), firstToken);
    }

    /** Whether the model server answers at all (readiness). Never fails. */
    public Mono<Boolean> isAvailable() {
        return tags().map(tags -> true).onErrorReturn(false);
    }

    /** Whether the configured model is on the model server (a name without a tag means its {@code latest}). Never fails. */
    public Mono<Boolean> hasModel() {
        String wanted = properties.model();
        return tags().map(tags -> {
                    for (JsonNode tag : tags.path("models")) {
                        String name = tag.path("name").asString("");
                        if (wanted.equals(name) || !wanted.contains(":") && (wanted + ":latest").equals(name)) {
                            return true;
                        }
                    }
                    return false;
                })
                .onErrorReturn(false);
    }

    @Override
    public void close() {
        loops.dispose();
    }

    private Mono<JsonNode> tags() {
        return observations.mono(CALLS, "tags", http.send(HttpRequest.builder().method(HttpMethod.GET)
                        .url(properties.baseUrl().toString(), "api/tags").build())
                .map(response -> JsonMapper.shared().readTree(response.body()))
                .timeout(properties.probeTimeout()));
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
}
