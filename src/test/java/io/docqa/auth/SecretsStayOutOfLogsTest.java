package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.LogLines;
import io.docqa.support.Operator;
import io.docqa.support.ServiceProperties;
import io.docqa.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * Sign-up, a failed and a good login, refresh, an API key, an upload, a chat, a metrics scrape and logout, with the
 * security, web, database and service loggers at DEBUG: no password, token or key the test used appears in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsStayOutOfLogsTest extends IntegrationTest {

    private static final String WRONG_PASSWORD = "wrong horse battery staple";

    @Test
    void noSecretTheClientsSentOrReceivedIsLogged(CapturedOutput output) {
        List<String> secrets = new ArrayList<>(List.of(Account.PASSWORD, WRONG_PASSWORD, SCRAPE_TOKEN, ServiceProperties.OPERATOR_TOKEN));
        try (var debug = LogLines.debug("org.springframework.security", "org.springframework.web", "org.springframework.http",
                "io.docqa", "io.r2dbc.postgresql.QUERY", "io.r2dbc.postgresql.PARAM", "reactor.netty.http")) {
            Account owner = api.signup("Secrets");
            secrets.addAll(List.of(owner.accessToken(), owner.refreshToken()));
            post("/api/v1/auth/login", Map.of("email", owner.email(), "password", WRONG_PASSWORD), null, 401);
            Account again = api.login(owner.email(), Account.PASSWORD);
            secrets.addAll(List.of(again.accessToken(), again.refreshToken()));
            JsonNode refreshed = post("/api/v1/auth/refresh", Map.of("refresh_token", again.refreshToken()), null, 200);
            secrets.add(refreshed.get("access_token").asString());
            secrets.add(refreshed.get("refresh_token").asString());

            String key = post("/api/v1/api-keys", Map.of("name", "robot", "role", "member"), owner.bearer(), 201)
                    .get("key").asString();
            secrets.add(key);
            http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                    .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text("pond.txt", "The pond is cleaned in May."))))
                    .exchange().expectStatus().isCreated();
            OLLAMA.answer("In", " May", " [1].");
            post("/api/v1/chat", Map.of("question", "When is the pond cleaned?"), "Bearer " + key, 200);
            http.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + SCRAPE_TOKEN)
                    .exchange().expectStatus().isOk();
            new Operator(http).setQuota(owner.tenantId(), "daily_questions", 1000);
            post("/api/v1/auth/logout", Map.of("refresh_token", refreshed.get("refresh_token").asString()), null, 204);
        }

        String logged = LogLines.ofTheService(output);
        assertThat(logged).as("the loggers were on and captured").contains("io.r2dbc.postgresql.QUERY")
                .contains("Decoded [Login[").contains("Encoding [Tokens[");
        assertThat(secrets).doesNotContainNull().allSatisfy(secret -> assertThat(logged).doesNotContain(secret));
    }

    private JsonNode post(String path, Map<String, String> body, String authorization, int status) {
        return http.post().uri(path)
                .headers(headers -> {
                    if (authorization != null) {
                        headers.set(HttpHeaders.AUTHORIZATION, authorization);
                    }
                })
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(status)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
