package io.docqa.support;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/** Test-side helpers over the public HTTP API. */
public final class Api {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final WebTestClient http;

    public Api(WebTestClient http) {
        this.http = http;
    }

    public static String uniqueEmail(String who) {
        return who + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    public Account signup(String tenantName) {
        String email = uniqueEmail("owner");
        JsonNode body = http.post().uri("/api/v1/auth/signup")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant_name", tenantName, "email", email, "password", Account.PASSWORD))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return Account.from(body, email);
    }

    /** Uploads one text file; answers its document id (the document is ready when the upload answers). */
    public UUID uploadText(Account account, String name, String text) {
        return UUID.fromString(http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text(name, text))))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("documents").get(0).get("id").asString());
    }

    public Account login(String email, String password) {
        JsonNode body = http.post().uri("/api/v1/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", password))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return Account.from(body, email);
    }

    /** Creates a user with the given role in the tenant of {@code admin}, and logs it in. */
    public Account addUser(Account admin, String role) {
        String email = uniqueEmail(role);
        http.post().uri("/api/v1/users")
                .header(HttpHeaders.AUTHORIZATION, admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", Account.PASSWORD, "role", role))
                .exchange()
                .expectStatus().isCreated();
        return login(email, Account.PASSWORD);
    }

    /** Uploads a text file and waits until it is indexed; returns its id. */
    public String upload(Account account, String filename, String text) {
        return http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text(filename, text))))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("documents").get(0).get("id").asString();
    }

    /** A new API key ({@code dq_...}) of the given role in the tenant of {@code admin}. */
    public String apiKey(Account admin, String role) {
        return http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "key-" + SEQUENCE.incrementAndGet(), "role", role))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("key").asString();
    }

    public record Account(String email, UUID userId, UUID tenantId, String accessToken, String refreshToken) {

        public static final String PASSWORD = "correct horse battery";

        static Account from(JsonNode body, String email) {
            return new Account(email, UUID.fromString(body.get("user").get("id").asString()),
                    UUID.fromString(body.get("tenant").get("id").asString()), body.get("access_token").asString(),
                    body.get("refresh_token").asString());
        }

        public String bearer() {
            return "Bearer " + accessToken;
        }
    }
}
