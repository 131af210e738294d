package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.ServiceProperties;
import io.docqa.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * The service without a model ({@code docqa.ollama.required=false} and no model server at its address; real PostgreSQL
 * and Chroma): it is ready, it takes uploads, and it answers with the passages found, saying that no model is reachable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NoModelTest {

    private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> SSE = new ParameterizedTypeReference<>() { };
    private static final String NOBODY_LISTENS = "http://127.0.0.1:" + closedPort();

    @LocalServerPort
    int port;

    WebTestClient http;
    Api api;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        ServiceProperties.register(registry, () -> NOBODY_LISTENS);
        registry.add("docqa.ollama.required", () -> "false");
    }

    @BeforeEach
    void client() {
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(60)).build();
        api = new Api(http);
    }

    @Test
    void isReadyWithTheModelServerUnknown() {
        JsonNode readiness = http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(readiness.get("status").asString()).isEqualTo("UP");
        assertThat(readiness.get("components").get("ollama").get("status").asString()).isEqualTo("UNKNOWN");
        assertThat(readiness.get("components").get("chroma").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void streamsThePassagesFoundAndSaysNoModelIsReachable() {
        Account owner = api.signup("No model");
        upload(owner, "kiln.txt", "The pottery kiln is fired every Thursday at six in the morning.");

        List<ServerSentEvent<JsonNode>> events = http.post().uri("/api/v1/chat")
                .header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "When is the pottery kiln fired?"))
                .exchange().expectStatus().isOk()
                .returnResult(SSE).getResponseBody()
                .filter(event -> event.event() != null)
                .collectList().block(Duration.ofSeconds(30));

        assertThat(events).extracting(ServerSentEvent::event).containsExactly("conversation", "sources", "token", "done");
        assertThat(events.get(1).data().get("sources").get(0).get("filename").asString()).isEqualTo("kiln.txt");
        assertThat(events.get(2).data().get("text").asString())
                .isEqualTo(NoModelAnswer.NOTICE + "\n\n[1] kiln.txt\nThe pottery kiln is fired every Thursday at six in the morning.");
        assertThat(events.get(3).data().get("finish_reason").asString()).isEqualTo("no_model");
        assertThat(events.get(3).data().get("usage").get("completion_tokens").asInt()).isZero();
    }

    @Test
    void answersJsonAndKeepsTheAnswerInTheConversation() {
        Account owner = api.signup("No model JSON");
        upload(owner, "ferry.txt", "The island ferry leaves the north pier at half past eight.");

        JsonNode answer = http.post().uri("/api/v1/chat")
                .header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .accept(MediaType.APPLICATION_JSON)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "When does the island ferry leave?"))
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(answer.get("answer").asString()).startsWith(NoModelAnswer.NOTICE).contains("[1] ferry.txt", "north pier");
        assertThat(answer.get("finish_reason").asString()).isEqualTo("no_model");
        JsonNode conversation = http.get().uri("/api/v1/conversations/" + answer.get("conversation_id").asString())
                .header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode saved = conversation.get("messages").get(1);
        assertThat(saved.get("role").asString()).isEqualTo("assistant");
        assertThat(saved.get("content").asString()).isEqualTo(answer.get("answer").asString());
    }

    private void upload(Account account, String name, String text) {
        http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text(name, text))))
                .exchange().expectStatus().isCreated();
    }

    /** A loopback port that was free a moment ago and that nothing here listens on. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
