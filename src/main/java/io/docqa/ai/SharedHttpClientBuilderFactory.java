package io.docqa.ai;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient.Version;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpClientBuilderFactory;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

/**
 * The HTTP client LangChain4j finds by itself (Java's service loader; its own JDK client is excluded from the build).
 * Only the Chroma stores use it, one store per tenant: with LangChain4j's client each store had a JDK client of its own,
 * with a selector thread and connections of its own. Here they all share one JDK client and its connection pool, so a
 * store costs a few objects and a thousand tenants cost no threads. Failures are those of LangChain4j's JDK client.
 * Requests only; the Ollama stream has {@link AbortableHttpClient}.
 */
public final class SharedHttpClientBuilderFactory implements HttpClientBuilderFactory {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private static final class Jdk {
        static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newBuilder()
                .version(Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    @Override
    public HttpClientBuilder create() {
        return new Builder();
    }

    private static final class Builder implements HttpClientBuilder {

        private Duration readTimeout = DEFAULT_READ_TIMEOUT;

        @Override
        public Duration connectTimeout() {
            return CONNECT_TIMEOUT;
        }

        /** Ignored: the shared client connects within {@code CONNECT_TIMEOUT} whatever a store asks for. */
        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            this.readTimeout = timeout == null ? DEFAULT_READ_TIMEOUT : timeout;
            return this;
        }

        @Override
        public HttpClient build() {
            return new Shared(readTimeout);
        }
    }

    private record Shared(Duration readTimeout) implements HttpClient {

        @Override
        public SuccessfulHttpResponse execute(HttpRequest request) {
            if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
                throw new UnsupportedOperationException("Multipart requests are not supported");
            }
            java.net.http.HttpRequest.Builder jdk = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                    .timeout(readTimeout)
                    .method(request.method().name(), request.body() == null
                            ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
            request.headers().forEach((name, values) -> values.forEach(value -> jdk.header(name, value)));
            HttpResponse<String> response;
            try {
                response = Jdk.CLIENT.send(jdk.build(), HttpResponse.BodyHandlers.ofString());
            }
            catch (HttpTimeoutException e) {
                throw new TimeoutException(e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeException(e);
            }
            catch (IOException e) {
                throw new RuntimeException(e);
            }
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                throw new HttpException(response.statusCode(), response.body());
            }
            return SuccessfulHttpResponse.builder()
                    .statusCode(response.statusCode())
                    .headers(response.headers().map())
                    .body(response.body())
                    .build();
        }

        @Override
        public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
            throw new UnsupportedOperationException("Streaming requests go through AbortableHttpClient");
        }
    }
}
