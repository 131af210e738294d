package io.docqa.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The fake itself, over plain HTTP, where {@code OllamaChatTest} does not reach. */
class FakeOllamaTest {

    private static final String QUESTION = """
            {"model":"llama3.2:3b","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi there"}],\
            "options":{"num_predict":64},"stream":%s}""";

    private static FakeOllama fake;
    // The JDK client's default version is HTTP/2, so on cleartext it asks for an h2c upgrade, which the fake ignores.
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        fake = FakeOllama.start();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void streamsOneJsonLinePerTokenThenTheUsage() throws Exception {
        fake.answer("The", " answer", " is", " 42");

        HttpResponse<String> response = post("/api/chat", QUESTION.formatted(true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/x-ndjson");
        List<JsonNode> lines = response.body().lines().map(JsonMapper.shared()::readTree).toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.subList(0, 4)).extracting(line -> line.path("message").path("content").asString())
                .containsExactly("The", " answer", " is", " 42");
        assertThat(lines.get(0).path("done").asBoolean()).isFalse();
        JsonNode done = lines.get(4);
        assertThat(done.path("done").asBoolean()).isTrue();
        assertThat(done.path("done_reason").asString()).isEqualTo("stop");
        assertThat(done.path("message").path("content").asString()).isEmpty();
        assertThat(done.path("prompt_eval_count").asInt()).isEqualTo(4);
        assertThat(done.path("eval_count").asInt()).isEqualTo(4);
        assertThat(fake.lastRequest().headers()).containsKey("upgrade");
        assertThat(fake.lastRequest().messages()).containsExactly(
                new ReceivedChat.Turn("system", "Be brief."), new ReceivedChat.Turn("user", "Hi there"));
        assertThat(fake.lastRequest().option("num_predict")).isEqualTo(64);
    }

    @Test
    void answersOneObjectWhenNotStreaming() throws Exception {
        fake.answer("Hello", " you");

        HttpResponse<String> response = post("/api/chat", QUESTION.formatted(false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        JsonNode body = JsonMapper.shared().readTree(response.body());
        assertThat(body.path("message").path("content").asString()).isEqualTo("Hello you");
        assertThat(body.path("done").asBoolean()).isTrue();
        assertThat(body.path("eval_count").asInt()).isEqualTo(2);
        assertThat(fake.lastRequest().stream()).isFalse();
    }

    @Test
    void stopsAtNumPredictWithReasonLength() throws Exception {
        fake.answer("a", "b", "c");

        HttpResponse<String> response = post("/api/chat", QUESTION.formatted(true).replace("64", "2"));

        List<JsonNode> lines = response.body().lines().map(JsonMapper.shared()::readTree).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2).path("done_reason").asString()).isEqualTo("length");
        assertThat(lines.get(2).path("eval_count").asInt()).isEqualTo(2);
    }

    @Test
    void listsItsModels() throws Exception {
        fake.models("llama3.2:3b", "qwen2.5:0.5b");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/api/tags")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode models = JsonMapper.shared().readTree(response.body()).path("models");
        assertThat(models.values()).extracting(model -> model.path("name").asString())
                .containsExactly("llama3.2:3b", "qwen2.5:0.5b");
    }

    @Test
    void answersAnUnknownModelWithOllamasNotFound() throws Exception {
        HttpResponse<String> response = post("/api/chat", QUESTION.formatted(true).replace("llama3.2:3b", "nope"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"model \\\"nope\\\" not found, try pulling it first\"}");
    }

    @Test
    void sendsAnErrorLineMidStream() throws Exception {
        fake.answer("one", " two", " three").errorAfter(2, "runner crashed");

        HttpResponse<String> response = post("/api/chat", QUESTION.formatted(true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().lines().toList()).hasSize(3).last().isEqualTo("{\"error\":\"runner crashed\"}");
        assertThat(fake.clientDisconnects()).isZero();
    }

    @Test
    void dropsTheConnectionMidStream() throws Exception {
        fake.answer("one", " two", " three").dropAfter(1);

        HttpResponse<java.io.InputStream> response = http.send(chatRequest(QUESTION.formatted(true)),
                HttpResponse.BodyHandlers.ofInputStream());

        BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(body.readLine()).contains("\"content\":\"one\"");
        org.assertj.core.api.Assertions.assertThatIOException().isThrownBy(body::readLine);
        assertThat(fake.clientDisconnects()).isZero();
    }

    @Test
    void sendsTheHeadersWithTheFirstToken() throws Exception {
        fake.firstTokenDelay(Duration.ofMillis(400));
        long start = System.nanoTime();

        HttpResponse<java.io.InputStream> response = http.send(chatRequest(QUESTION.formatted(true)),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        response.body().close();
    }

    @Test
    void seesTheClientLeaveDuringAStall() throws Exception {
        fake.answer("a", "b", "c").stallAfter(1);
        try (Socket socket = openChat()) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = reader.readLine();
            } while (line != null && !line.contains("\"content\":\"a\""));
            assertThat(line).isNotNull();
            assertThat(fake.activeAnswers()).isEqualTo(1);
        }

        assertThat(fake.awaitClientDisconnect(Duration.ofSeconds(1))).isTrue();
        assertThat(fake.activeAnswers()).isZero();
    }

    @Test
    void seesTheClientLeaveBeforeTheFirstToken() throws Exception {
        fake.firstTokenDelay(Duration.ofSeconds(30));
        try (Socket socket = openChat()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> fake.requests().size() == 1);
        }

        assertThat(fake.awaitClientDisconnect(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void doesNotCountAClientLeavingAfterACompleteAnswer() throws Exception {
        try (Socket socket = openChat()) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = reader.readLine();
            } while (line != null && !line.equals("0"));
            assertThat(line).as("the last chunk of a complete answer").isEqualTo("0");
        }

        assertThat(fake.awaitClientDisconnect(Duration.ofMillis(300))).isFalse();
        assertThat(fake.requests()).hasSize(1);
    }

    private Socket openChat() throws Exception {
        Socket socket = new Socket("127.0.0.1", fake.port());
        byte[] body = QUESTION.formatted(true).getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest chatRequest(String body) {
        return HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/api/chat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
