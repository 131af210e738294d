package io.docqa.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import io.docqa.support.FakeOllamaScript.Ending;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import tools.jackson.core.JacksonException;

/**
 * An Ollama server for tests, over real HTTP/1.1 on 127.0.0.1 and an ephemeral port. It speaks {@code POST /api/chat}
 * (NDJSON stream or one JSON object), {@code GET /api/tags} and Ollama's error bodies, and ignores {@code Upgrade: h2c}.
 * Like Ollama, it sends no response headers during the first-token delay (loading the model, reading the prompt).
 * The script is replaced atomically per setter; a request uses the script current when its body arrived.
 */
public final class FakeOllama implements AutoCloseable {

    private static final String JSON = "application/json; charset=utf-8";
    private static final String NDJSON = "application/x-ndjson";

    private final AtomicReference<FakeOllamaScript> script = new AtomicReference<>(FakeOllamaScript.initial());
    private final List<ReceivedChat> received = new CopyOnWriteArrayList<>();
    private final Set<Answer> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger generation = new AtomicInteger();
    private final ClientDisconnects disconnects = new ClientDisconnects();
    // event loops of its own: the clients of a benchmark or the service under test in this JVM do not delay the model
    private final LoopResources loops = LoopResources.create("fake-ollama", 2, true);
    private volatile boolean closing;
    private DisposableServer server;

    /** Starts a fake answering "Hello, world!" for the model {@code llama3.2:3b}. */
    public static FakeOllama start() {
        FakeOllama fake = new FakeOllama();
        fake.server = HttpServer.create()
                .runOn(fake.loops)
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes
                        .post("/api/chat", fake::chat)
                        .get("/api/tags", fake::tags)
                        .get("/", (request, response) -> response.sendString(Mono.just("Ollama is running")))
                        .route(request -> true, (request, response) -> response.status(HttpResponseStatus.NOT_FOUND)
                                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                                .sendString(Mono.just("404 page not found"))))
                .bindNow(Duration.ofSeconds(10));
        return fake;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    /** Back to the initial script; forgets received requests and disconnects; answers still running no longer count. */
    public FakeOllama reset() {
        generation.incrementAndGet();
        script.set(FakeOllamaScript.initial());
        received.clear();
        disconnects.clear();
        return this;
    }

    /** The tokens of every answer; each is sent as it is, leading spaces included. */
    public FakeOllama answer(String... tokens) {
        List<String> list = List.of(tokens);
        return answer(chat -> list);
    }

    public FakeOllama answer(Function<ReceivedChat, List<String>> tokens) {
        script.updateAndGet(s -> s.withTokens(tokens));
        return this;
    }

    /** Time before the response headers and the first token (Ollama loading a model and reading the prompt). */
    public FakeOllama firstTokenDelay(Duration delay) {
        script.updateAndGet(s -> s.withFirstTokenDelay(delay));
        return this;
    }

    public FakeOllama tokenDelay(Duration delay) {
        script.updateAndGet(s -> s.withTokenDelay(delay));
        return this;
    }

    /** After that many tokens, sends {@code {"error":message}} and ends the stream (a non-streamed answer: HTTP 500). */
    public FakeOllama errorAfter(int tokens, String message) {
        return endWith(new Ending(Ending.Kind.ERROR, tokens, message));
    }

    /** After that many tokens, sends nothing more and keeps the connection open. */
    public FakeOllama stallAfter(int tokens) {
        return endWith(new Ending(Ending.Kind.STALL, tokens, null));
    }

    /** After that many tokens, closes the connection without ending the response, as a crashing server does. */
    public FakeOllama dropAfter(int tokens) {
        return endWith(new Ending(Ending.Kind.DROP, tokens, null));
    }

    private FakeOllama endWith(Ending ending) {
        script.updateAndGet(s -> s.withEnding(ending));
        return this;
    }

    /** The models that exist; any other answers 404 as Ollama does. */
    public FakeOllama models(String... names) {
        script.updateAndGet(s -> s.withModels(Set.of(names)));
        return this;
    }

    /** The reported {@code prompt_eval_count}; by default the number of whitespace-separated words of all messages. */
    public FakeOllama promptEvalCount(int count) {
        script.updateAndGet(s -> s.withPromptEvalCount(count));
        return this;
    }

    public List<ReceivedChat> requests() {
        return List.copyOf(received);
    }

    public ReceivedChat lastRequest() {
        if (received.isEmpty()) {
            throw new AssertionError("FakeOllama received no chat request");
        }
        return received.get(received.size() - 1);
    }

    /** Connections the client closed before their answer was complete. */
    public int clientDisconnects() {
        return disconnects.count();
    }

    public boolean awaitClientDisconnect(Duration timeout) {
        return disconnects.await(1, timeout);
    }

    public boolean awaitClientDisconnects(int count, Duration timeout) {
        return disconnects.await(count, timeout);
    }

    /** Answers started since the last reset and neither complete nor abandoned by the client. */
    public int activeAnswers() {
        int current = generation.get();
        return (int) inFlight.stream().filter(answer -> answer.generationAtStart == current).count();
    }

    @Override
    public void close() {
        closing = true;
        for (Answer answer : inFlight) {
            answer.connection.dispose();
        }
        server.disposeNow(Duration.ofSeconds(5));
        loops.dispose();
    }

    private Mono<Void> chat(HttpServerRequest request, HttpServerResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.requestHeaders().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(),
                (a, b) -> a + ", " + b));
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap(body -> {
            ReceivedChat chat;
            try {
                chat = ReceivedChat.parse(body, Collections.unmodifiableMap(headers));
            }
            catch (JacksonException e) {
                return error(response, HttpResponseStatus.BAD_REQUEST, "invalid character in request body");
            }
            received.add(chat);
            FakeOllamaScript current = script.get();
            if (chat.model().isEmpty()) {
                return error(response, HttpResponseStatus.BAD_REQUEST, "model is required");
            }
            if (!current.knows(chat.model())) {
                return error(response, HttpResponseStatus.NOT_FOUND,
                        "model \"" + chat.model() + "\" not found, try pulling it first");
            }
            Answer answer = new Answer(chat, current);
            response.withConnection(answer::watch);
            Mono<Void> reply = chat.stream() ? answer.stream(response) : answer.whole(response);
            return reply.doOnCancel(answer::abandoned);
        });
    }

    private Mono<Void> tags(HttpServerRequest request, HttpServerResponse response) {
        List<Map<String, Object>> models = new TreeSet<>(script.get().models()).stream().map(OllamaJson::tag).toList();
        return send(response, HttpResponseStatus.OK, JSON, Map.of("models", models));
    }

    private static Mono<Void> error(HttpServerResponse response, HttpResponseStatus status, String message) {
        return send(response, status, JSON, OllamaJson.error(message));
    }

    private static Mono<Void> send(HttpServerResponse response, HttpResponseStatus status, String type, Object json) {
        return response.status(status).header(HttpHeaderNames.CONTENT_TYPE, type)
                .sendString(Mono.just(OllamaJson.write(json))).then();
    }

    /** One answer being produced; knows whether the client left before it was complete. */
    private final class Answer {

        private final ReceivedChat chat;
        private final FakeOllamaScript script;
        private final int generationAtStart = generation.get();
        private final AtomicBoolean settled = new AtomicBoolean();
        private final List<String> tokens;
        private final String doneReason;
        private volatile Connection connection;

        Answer(ReceivedChat chat, FakeOllamaScript script) {
            this.chat = chat;
            this.script = script;
            List<String> all = script.tokens().apply(chat);
            int limit = chat.option("num_predict") instanceof Number n && n.intValue() >= 0 ? n.intValue() : Integer.MAX_VALUE;
            this.tokens = all.size() > limit ? all.subList(0, limit) : all;
            this.doneReason = all.size() > limit ? "length" : "stop";
        }

        void watch(Connection connection) {
            this.connection = connection;
            inFlight.add(this);
            connection.onDispose(this::abandoned);
        }

        Mono<Void> stream(HttpServerResponse response) {
            Ending ending = script.ending();
            int before = Math.min(tokens.size(), ending.afterTokens());
            Flux<String> tail = switch (ending.kind()) {
                case DONE -> Flux.just(OllamaJson.line(done("")));
                case ERROR -> Flux.just(OllamaJson.line(OllamaJson.error(ending.message())));
                case STALL -> Flux.never();
                // closing at once could discard tokens not yet flushed
                case DROP -> Mono.delay(Duration.ofMillis(100)).flatMapMany(tick -> {
                    finished();
                    connection.channel().close();
                    return Flux.<String>never();
                });
            };
            Flux<String> lines = Flux.range(0, before)
                    .concatMap(i -> delayed(i == 0 ? Duration.ZERO : script.tokenDelay(), () -> tokenLine(i)))
                    .concatWith(tail)
                    .doOnComplete(this::finished)
                    .doOnCancel(this::abandoned);
            return Mono.delay(script.firstTokenDelay())
                    .then(response.status(HttpResponseStatus.OK).header(HttpHeaderNames.CONTENT_TYPE, NDJSON)
                            .sendString(lines).then());
        }

        Mono<Void> whole(HttpServerResponse response) {
            switch (script.ending().kind()) {
                case ERROR:
                    return error(response, HttpResponseStatus.INTERNAL_SERVER_ERROR, script.ending().message())
                            .doOnSuccess(nothing -> finished());
                case STALL:
                    return Mono.never();
                case DROP:
                    finished();
                    connection.channel().close();
                    return Mono.never();
                default:
                    break;
            }
            Duration generating = script.firstTokenDelay()
                    .plus(script.tokenDelay().multipliedBy(Math.max(0, tokens.size() - 1)));
            return Mono.delay(generating)
                    .then(send(response, HttpResponseStatus.OK, JSON, done(String.join("", tokens))))
                    .doOnSuccess(nothing -> finished());
        }

        private String tokenLine(int index) {
            return OllamaJson.line(OllamaJson.token(chat.model(), tokens.get(index)));
        }

        private Map<String, Object> done(String content) {
            return OllamaJson.done(chat.model(), content, doneReason,
                    script.promptEvalCount() != null ? script.promptEvalCount() : promptWords(), tokens.size());
        }

        private int promptWords() {
            return chat.messages().stream().mapToInt(m -> m.content().isBlank() ? 0 : m.content().trim().split("\\s+").length).sum();
        }

        private void finished() {
            if (settled.compareAndSet(false, true)) {
                inFlight.remove(this);
            }
        }

        void abandoned() {
            if (settled.compareAndSet(false, true)) {
                inFlight.remove(this);
                if (!closing && generationAtStart == generation.get()) {
                    disconnects.record();
                }
            }
        }
    }

    private static <T> Mono<T> delayed(Duration delay, Supplier<T> value) {
        return delay.isZero() ? Mono.fromSupplier(value) : Mono.delay(delay).map(tick -> value.get());
    }
}
