package io.docqa.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The calls of the public API a benchmark makes to set itself up, over the JDK HTTP client. */
final class BenchApi {

    static final String PASSWORD = "correct horse battery staple";

    private final String baseUrl;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.shared();

    BenchApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Signs up a new tenant and answers the owner's access token. */
    String signup(String tenantName) {
        return signup(tenantName, "owner-" + UUID.randomUUID() + "@bench.test");
    }

    /** Signs up a new tenant whose owner has {@code email} and {@link #PASSWORD}; answers the owner's access token. */
    String signup(String tenantName, String email) {
        JsonNode body = send(HttpRequest.newBuilder(uri("/api/v1/auth/signup"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        Map.of("tenant_name", tenantName, "email", email, "password", PASSWORD)))), 201);
        return body.get("access_token").asString();
    }

    /** A fresh access token of a user with {@link #PASSWORD}. */
    String login(String email) {
        JsonNode body = send(HttpRequest.newBuilder(uri("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("email", email, "password", PASSWORD)))), 200);
        return body.get("access_token").asString();
    }

    /** A new API key of the caller's tenant with {@code role}: the key itself, a bearer token. */
    String apiKey(String token, String name, String role) {
        JsonNode body = send(HttpRequest.newBuilder(uri("/api/v1/api-keys"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("name", name, "role", role)))), 201);
        return body.get("key").asString();
    }

    /** Uploads one text file and answers the document once it is indexed. */
    JsonNode upload(String token, Path file) {
        return upload(token, file, "text/plain");
    }

    /** Uploads one file of the given type and answers the document once it is indexed. */
    JsonNode upload(String token, Path file, String contentType) {
        JsonNode answer = send(uploadRequest(token, file, contentType), 201);
        JsonNode document = answer.get("documents").get(0);
        if (!"ready".equals(document.get("status").asString())) {
            throw new IllegalStateException("Document not ready: " + document);
        }
        return document;
    }

    /** Uploads several files in one request, as a user uploads part of a folder; answers their documents, in order. */
    java.util.List<JsonNode> uploadAll(String token, java.util.List<Path> files, String contentType) {
        String boundary = "bench-" + UUID.randomUUID();
        java.util.List<HttpRequest.BodyPublisher> parts = new java.util.ArrayList<>();
        try {
            for (Path file : files) {
                parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                        + file.getFileName() + "\"\r\nContent-Type: " + contentType + "\r\n\r\n", StandardCharsets.UTF_8));
                parts.add(HttpRequest.BodyPublishers.ofFile(file));
                parts.add(HttpRequest.BodyPublishers.ofString("\r\n", StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(uri("/api/v1/documents"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofHours(1))
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new))), 201);
        java.util.List<JsonNode> documents = new java.util.ArrayList<>();
        answer.get("documents").forEach(documents::add);
        return documents;
    }

    /** {@code POST /api/v1/documents} of one file, multipart; add an {@code Accept} header for the event stream. */
    HttpRequest.Builder uploadRequest(String token, Path file, String contentType) {
        String boundary = "bench-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName()
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        try {
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
                    HttpRequest.BodyPublishers.ofFile(file),
                    HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8));
            return HttpRequest.newBuilder(uri("/api/v1/documents"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .timeout(Duration.ofHours(1))
                    .POST(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asks {@code POST /api/v1/chat} for a JSON answer; {@code request} is its body ({@code question}, {@code top_k},
     * {@code conversation_id}...).
     */
    JsonNode chat(String token, Map<String, Object> request) {
        return send(HttpRequest.newBuilder(uri("/api/v1/chat"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request))), 200);
    }

    /** The texts of a document's chunks, in order. */
    java.util.List<String> chunkTexts(String token, String documentId) {
        JsonNode body = send(HttpRequest.newBuilder(uri("/api/v1/documents/" + documentId + "/chunks"))
                .header("Authorization", "Bearer " + token).GET(), 200);
        java.util.List<String> texts = new java.util.ArrayList<>();
        body.get("items").forEach(item -> texts.add(item.get("text").asString()));
        return texts;
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private JsonNode send(HttpRequest.Builder request, int expected) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
