package io.docqa.ai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.langchain4j.exception.HttpException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few Chroma v2 calls LangChain4j's store does not offer: heartbeat, collection lookup without creating it,
 * counting by metadata, and deleting a collection. Blocking; callers run it on the {@code chroma} scheduler.
 * Failures are thrown the way LangChain4j's client throws them, so {@link ChromaFailures} sorts both alike.
 */
final class ChromaHttp {

    private static final String DATABASE = "api/v2/tenants/default_tenant/databases/default_database/";

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient client;
    private final JsonMapper json = JsonMapper.shared();

    ChromaHttp(ChromaProperties properties) {
        this.baseUrl = properties.baseUrl();
        this.timeout = properties.timeout();
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.timeout())
                .build();
    }

    boolean heartbeat(Duration within) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "api/v2/heartbeat")).timeout(within).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Optional<String> collectionId(String name) {
        return send(request(DATABASE + "collections/" + name).GET())
                .map(body -> json.readTree(body).get("id").asString());
    }

    /** The number of records of the collection that match a Chroma {@code where} filter. */
    long count(String collectionId, Map<String, Object> where) {
        String body = json.writeValueAsString(Map.of("where", where, "include", List.of()));
        return send(request(DATABASE + "collections/" + collectionId + "/get").POST(HttpRequest.BodyPublishers.ofString(body)))
                .map(answer -> (long) json.readTree(answer).get("ids").size())
                .orElse(0L);
    }

    long count(String collectionId) {
        return send(request(DATABASE + "collections/" + collectionId + "/count").GET())
                .map(Long::parseLong)
                .orElse(0L);
    }

    /** True when the collection existed. */
    boolean deleteCollection(String name) {
        return send(request(DATABASE + "collections/" + name).DELETE()).isPresent();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", "application/json");
    }

    /** The body of a 2xx answer; empty for 404. */
    private Optional<String> send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() / 100 != 2) {
            throw new HttpException(response.statusCode(), response.body());
        }
        return Optional.of(response.body());
    }
}
