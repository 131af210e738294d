package io.docqa.ai;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

/**
 * LangChain4j's HTTP client SPI over the JDK client, streaming only, whose exchanges can be aborted at any point.
 * LangChain4j's own streaming handle exists only once the first token was parsed, but Ollama sends its response headers
 * with the first token: a cancel or a first-token timeout before then must abort the pending request itself.
 * The exchange to abort is handed over on the calling thread, because {@code StreamingChatModel.chat} starts the
 * request synchronously and returns. The body is read with blocking reads on {@code readers}; the JDK would otherwise run
 * them in the common ForkJoinPool (or, on machines with fewer than 3 cores, on a new unnamed thread per stream).
 */
final class AbortableHttpClient implements HttpClient {

    private static final ThreadLocal<Exchange> STARTING = new ThreadLocal<>();

    private final java.net.http.HttpClient jdk;
    private final Executor readers;
    private final Duration readTimeout;

    private AbortableHttpClient(java.net.http.HttpClient jdk, Executor readers, Duration readTimeout) {
        this.jdk = jdk;
        this.readers = readers;
        this.readTimeout = readTimeout;
    }

    static HttpClientBuilder builder(java.net.http.HttpClient.Builder jdk, Executor readers) {
        return new Builder(jdk, readers);
    }

    /** Runs {@code call}; the exchange it starts on this thread, if any, is aborted by {@code exchange.abort()}. */
    static void starting(Exchange exchange, Runnable call) {
        STARTING.set(exchange);
        try {
            call.run();
        }
        finally {
            STARTING.remove();
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        Exchange exchange = STARTING.get() != null ? STARTING.get() : new Exchange();
        CompletableFuture<HttpResponse<InputStream>> pending = jdk.sendAsync(toJdk(request), BodyHandlers.ofInputStream());
        exchange.onAbort(() -> pending.cancel(true));
        pending.thenAcceptAsync(response -> {
            InputStream body = response.body();
            exchange.onAbort(() -> closeQuietly(body));
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                notify(listener, new HttpException(response.statusCode(), readError(body)));
                return;
            }
            listener.onOpen(SuccessfulHttpResponse.builder().statusCode(response.statusCode())
                    .headers(response.headers().map()).build());
            try (body) {
                parser.parse(body, listener);
                listener.onClose();
            }
            catch (IOException | RuntimeException e) {
                notify(listener, e);
            }
        }, readers).exceptionally(error -> {
            notify(listener, error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            return null;
        });
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        throw new UnsupportedOperationException("Only streaming requests are supported");
    }

    private java.net.http.HttpRequest toJdk(HttpRequest request) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .method(request.method().name(), request.body() == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()))
                .timeout(readTimeout);
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        return builder.build();
    }

    private static void notify(ServerSentEventListener listener, Throwable error) {
        try {
            listener.onError(error);
        }
        catch (RuntimeException ignored) {
            // the listener is LangChain4j's; it has nowhere else to report to
        }
    }

    private static String readError(InputStream body) {
        try (body) {
            return new String(body.readNBytes(8192), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        }
        catch (IOException ignored) {
            // aborting: the connection is going away either way
        }
    }

    private static final class Builder implements HttpClientBuilder {

        private final java.net.http.HttpClient.Builder jdk;
        private final Executor readers;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofMinutes(5);

        Builder(java.net.http.HttpClient.Builder jdk, Executor readers) {
            this.jdk = jdk;
            this.readers = readers;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public HttpClient build() {
            return new AbortableHttpClient(jdk.connectTimeout(connectTimeout).executor(readers).build(), readers,
                    readTimeout);
        }
    }
}
