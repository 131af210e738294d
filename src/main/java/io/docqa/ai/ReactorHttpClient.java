package io.docqa.ai;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

import io.netty.channel.ChannelOption;
import org.reactivestreams.Publisher;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.StringDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpClientBuilderFactory;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEventParsingHandle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * LangChain4j's HTTP client SPI over Spring's WebClient on Reactor Netty: the one HTTP client of Ollama and of Chroma.
 * A stream is read on the client's event loops as its lines arrive, each line handed to LangChain4j's parser on its own,
 * so an open stream holds a connection and no thread; disposing the stream closes the connection. The synchronous call,
 * which LangChain4j's Chroma store makes, waits for the same exchange: it is refused on a non-blocking thread (the
 * store runs on the {@code chroma} scheduler). The adapters make their own calls with {@link #send}.
 */
public final class ReactorHttpClient implements HttpClient {

    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    private static final StringDecoder LINES = StringDecoder.allMimeTypes();
    private static final ThreadLocal<Disposable.Composite> STARTING = new ThreadLocal<>();

    static {
        LINES.setMaxInMemorySize(MAX_BODY_BYTES);
    }

    private final WebClient web;
    private final Duration readTimeout;

    private ReactorHttpClient(WebClient web, Duration readTimeout) {
        this.web = web;
        this.readTimeout = readTimeout;
    }

    /** Clients over {@code connections} and {@code loops}; each client built has its own timeouts. */
    static Builder builder(ConnectionProvider connections, LoopResources loops) {
        return new Builder(connections, loops);
    }

    /**
     * Runs {@code call}; a stream it starts on this thread is disposed with {@code exchange}, whether that happens
     * before the request left, while waiting for the response or while the body streams. LangChain4j's own streaming
     * handle exists only once a first token was parsed, and Ollama sends its response headers with the first token.
     */
    static void starting(Disposable.Composite exchange, Runnable call) {
        STARTING.set(exchange);
        try {
            call.run();
        }
        finally {
            STARTING.remove();
        }
    }

    /**
     * The answer; a status other than 2xx fails with LangChain4j's {@link HttpException}, no answer within the read
     * timeout with its {@link TimeoutException}.
     */
    Mono<SuccessfulHttpResponse> send(HttpRequest request) {
        return exchange(request, response -> response.bodyToMono(String.class).defaultIfEmpty("")
                .map(body -> successful(response).body(body).build())).next();
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        if (Schedulers.isInNonBlockingThread()) {
            throw new IllegalStateException("A synchronous HTTP call on the non-blocking thread " + Thread.currentThread().getName());
        }
        CompletableFuture<SuccessfulHttpResponse> response = send(request).toFuture();
        try {
            return response.get();
        }
        catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + request.url(), e);
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        Disposable.Composite exchange = STARTING.get() != null ? STARTING.get() : Disposables.composite();
        if (exchange.isDisposed()) {
            return;
        }
        ServerSentEventListener relay = new Relay(listener, new ServerSentEventContext(new Handle(exchange)));
        exchange.add(exchange(request, response -> {
                    listener.onOpen(successful(response).build());
                    return events(response);
                })
                .subscribe(event -> parser.parse(new ByteArrayInputStream(event), relay), error -> notify(listener, error),
                        listener::onClose));
    }

    private <T> Flux<T> exchange(HttpRequest request, Function<ClientResponse, Publisher<T>> onSuccess) {
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            return Flux.error(new UnsupportedOperationException("Multipart requests are not supported"));
        }
        WebClient.RequestBodySpec spec = web.method(HttpMethod.valueOf(request.method().name()))
                .uri(URI.create(request.url()))
                .headers(headers -> request.headers().forEach(headers::addAll));
        return (request.body() == null ? spec : spec.bodyValue(request.body()))
                .exchangeToFlux(response -> response.statusCode().is2xxSuccessful() ? Flux.from(onSuccess.apply(response))
                        : response.bodyToMono(String.class).defaultIfEmpty("")
                                .flatMapMany(body -> Flux.error(new HttpException(response.statusCode().value(), body))))
                .timeout(Mono.delay(readTimeout), first -> Mono.never())
                .onErrorMap(java.util.concurrent.TimeoutException.class, TimeoutException::new);
    }

    /** The body as the parser's events: each line of NDJSON on its own, an event stream's lines up to each blank one. */
    private static Flux<byte[]> events(ClientResponse response) {
        Flux<String> lines = LINES.decode(response.bodyToFlux(DataBuffer.class), ResolvableType.forClass(String.class), null, null);
        boolean eventStream = response.headers().contentType().filter(MediaType.TEXT_EVENT_STREAM::isCompatibleWith).isPresent();
        return eventStream ? lines.bufferUntil(String::isEmpty).map(event -> (String.join("\n", event) + "\n").getBytes(StandardCharsets.UTF_8))
                : lines.map(line -> (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static SuccessfulHttpResponse.Builder successful(ClientResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().asHttpHeaders().forEach(headers::put);
        return SuccessfulHttpResponse.builder().statusCode(response.statusCode().value()).headers(headers);
    }

    private static void notify(ServerSentEventListener listener, Throwable error) {
        try {
            listener.onError(error);
        }
        catch (RuntimeException ignored) {
            // the listener is LangChain4j's; it has nowhere else to report to
        }
    }

    /** LangChain4j's listener, given a context whose handle cancels the whole stream rather than one line's parse. */
    private record Relay(ServerSentEventListener listener, ServerSentEventContext context) implements ServerSentEventListener {

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext lineContext) {
            listener.onEvent(event, context);
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            listener.onEvent(event, context);
        }

        @Override
        public void onError(Throwable error) {
            listener.onError(error);
        }
    }

    private record Handle(Disposable exchange) implements ServerSentEventParsingHandle {

        @Override
        public void cancel() {
            exchange.dispose();
        }

        @Override
        public boolean isCancelled() {
            return exchange.isDisposed();
        }
    }

    /**
     * What LangChain4j's service loader finds, the only way its Chroma store takes an HTTP client: every store, and
     * docqa's own calls to Chroma, share one pool of connections and the event loops {@code chroma-http}.
     */
    public static final class Factory implements HttpClientBuilderFactory {

        private static final ConnectionProvider CONNECTIONS = ConnectionProvider.builder("chroma-http")
                .pendingAcquireMaxCount(-1) // waiting is bounded by each call's timeout
                .build();
        private static final LoopResources LOOPS = LoopResources.create("chroma-http");

        @Override
        public Builder create() {
            return builder(CONNECTIONS, LOOPS);
        }
    }

    static final class Builder implements HttpClientBuilder {

        private final ConnectionProvider connections;
        private final LoopResources loops;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(30);

        private Builder(ConnectionProvider connections, LoopResources loops) {
            this.connections = connections;
            this.loops = loops;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout == null ? this.connectTimeout : timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        /** The longest wait for an answer, or for the first line of a stream (the time between lines is the caller's). */
        @Override
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout == null ? this.readTimeout : timeout;
            return this;
        }

        @Override
        public ReactorHttpClient build() {
            reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create(connections)
                    .runOn(loops)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()));
            return new ReactorHttpClient(WebClient.builder()
                    .clientConnector(new ReactorClientHttpConnector(netty))
                    .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_BODY_BYTES))
                    .build(), readTimeout);
        }
    }
}
