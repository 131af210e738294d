package io.docqa.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.ApiOperations;
import io.docqa.support.ApiOperations.Operation;
import io.docqa.support.IntegrationTest;
import io.docqa.support.RawHttp;
import io.docqa.support.RawHttp.Request;
import io.docqa.support.RawHttp.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Walks every operation that the running service's own {@code /v3/api-docs} describes (so a new operation is covered
 * without touching this test) with the battery of {@link BadRequests}, once without credentials and once as the owner of
 * a tenant, and fails on any 5xx, on any error that is not problem+json, and on any stream that ends in a 5xx problem.
 * Under {@code /v1} (OpenAI's protocol) an error is OpenAI's error body instead (but where the request line could not be
 * read, and so its path is not known), and a stream may not end in a server error.
 */
class MalformedInputTest extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CLIENTS = 6;

    /** Several thousand requests, a few at a time: minutes on a loaded machine. */
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void noBadRequestGetsA5xxOrAnErrorThatIsNotAProblem() throws Exception {
        JsonNode description = http.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        List<Operation> operations = new ArrayList<>(ApiOperations.of(description));
        // an operation that can end the caller's own account or tenant runs last
        operations.sort(Comparator.comparing(operation -> operation.method().equals("DELETE") && operation.pathVariables().isEmpty()));
        assertThat(operations).as("operations described").hasSizeGreaterThan(20);

        RawHttp raw = new RawHttp(port);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        String bearer = null;
        for (Operation operation : operations) {
            for (boolean authenticated : new boolean[] { false, true }) {
                if (authenticated && (bearer == null || !stillValid(bearer))) {
                    bearer = api.signup("Malformed input").bearer();
                }
                List<Request> requests = new BadRequests(authenticated ? bearer : null).of(operation);
                List<Future<Response>> answers = new ArrayList<>();
                requests.forEach(request -> answers.add(clients.submit(() -> raw.send(request))));
                for (int i = 0; i < requests.size(); i++) {
                    Response response = answers.get(i).get();
                    sent++;
                    statuses.merge(response.status(), 1, Integer::sum);
                    String wrong = judge(response, operation.path().startsWith("/v1/"));
                    if (wrong != null) {
                        failures.add(operation + (authenticated ? " (owner) " : " (anonymous) ") + requests.get(i) + " -> " + wrong);
                    }
                }
            }
        }
        clients.shutdown();
        System.out.printf("Malformed-input suite: %d operations, %d requests, answers by status %s, %d failures%n",
                operations.size(), sent, statuses, failures.size());
        assertThat(failures).as("bad requests answered with a 5xx or an error that is not problem+json (%d of %d)",
                failures.size(), sent).isEmpty();
    }

    @Test
    void theJudgeFailsWhatItShould() {
        String problem = "{\"type\":\"urn:docqa:problem:x\",\"title\":\"Bad Request\",\"status\":400,\"code\":\"x\"}";
        assertThat(judge(answer(400, "application/problem+json", problem))).isNull();
        assertThat(judge(answer(200, "application/json", "{}"))).isNull();
        assertThat(judge(answer(400, null, ""))).as("an empty 400").isNotNull();
        assertThat(judge(answer(404, "text/html", "<h1>no</h1>"))).isNotNull();
        assertThat(judge(answer(500, "application/problem+json", problem.replace("400", "500")))).isNotNull();
        assertThat(judge(answer(401, "application/problem+json", problem))).as("status disagrees with the body").isNotNull();
        assertThat(judge(answer(400, "application/problem+json", "not json"))).isNotNull();
        assertThat(judge(answer(200, "text/event-stream", "event:error\ndata:" + problem.replace("400", "503") + "\n\n"))).isNotNull();
        assertThat(judge(new Response(0, Map.of(), "", "connection reset"))).isNotNull();

        String openAi = "{\"error\":{\"message\":\"The request is not valid\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"x\"}}";
        assertThat(judge(answer(400, "application/json", openAi), true)).isNull();
        assertThat(judge(answer(400, "application/problem+json", problem), true)).as("a problem under /v1").isNotNull();
        assertThat(judge(answer(400, "application/json", "{\"error\":{\"message\":\"x\"}}"), true)).isNotNull();
        assertThat(judge(answer(200, "text/event-stream", "data: " + openAi + "\n\n"), true)).isNull();
        assertThat(judge(answer(200, "text/event-stream", "data: " + openAi.replace("invalid_request_error", "server_error") + "\n\n"), true))
                .isNotNull();
    }

    static String judge(Response response) {
        return judge(response, false);
    }

    private static Response answer(int status, String type, String body) {
        return new Response(status, type == null ? Map.of() : Map.of("content-type", type), body, null);
    }

    private boolean stillValid(String bearer) {
        return http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, bearer).exchange()
                .returnResult(Void.class).getStatus().is2xxSuccessful();
    }

    /** What is wrong with an answer to a bad request, or null; {@code openAi}: under {@code /v1}. */
    static String judge(Response response, boolean openAi) {
        if (response.status() == 0) {
            return response.error();
        }
        if (response.status() >= 500) {
            return response.status() + " " + abbreviate(response.body());
        }
        String type = response.header(HttpHeaders.CONTENT_TYPE);
        if (response.status() >= 400 && openAi && !lineUnread(response)) {
            return notAnOpenAiError(response.body(), type, response.status());
        }
        if (response.status() >= 400) {
            if (type == null || !type.startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE)) {
                return response.status() + " with Content-Type " + type + ": " + abbreviate(response.body());
            }
            return notAProblem(response.body(), response.status());
        }
        if (type != null && type.startsWith(MediaType.TEXT_EVENT_STREAM_VALUE)) {
            return openAi ? openAiStreamError(response.body()) : streamError(response.body());
        }
        return null;
    }

    /** A request whose line the server could not read (too long, or not HTTP) has no path to take a protocol from. */
    private static boolean lineUnread(Response response) {
        if (response.status() != 400 && response.status() != 414) {
            return false;
        }
        try {
            JsonNode instance = JSON.readTree(response.body()).path("instance");
            return instance.isNull() || "/bad-request".equals(instance.asString(""));
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    private static String notAnOpenAiError(String body, String type, int status) {
        if (type == null || !type.startsWith(MediaType.APPLICATION_JSON_VALUE)) {
            return status + " under /v1 with Content-Type " + type + ": " + abbreviate(body);
        }
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.path("message").asString("").isBlank() || error.path("type").asString("").isBlank()
                    || error.path("code").asString("").isBlank() || !error.has("param")) {
                return status + " with an OpenAI error body that lacks message, type, param or code: " + abbreviate(body);
            }
            return body.contains("Exception") || body.contains("\tat ") ? status + " with internals in the body: " + abbreviate(body) : null;
        }
        catch (RuntimeException e) {
            return status + " with a body that is not JSON: " + abbreviate(body);
        }
    }

    /** An OpenAI stream may end in an error line, but never with a server error. */
    private static String openAiStreamError(String body) {
        for (String line : body.split("\n")) {
            if (line.startsWith("data: {\"error\"") && "server_error".equals(JSON.readTree(line.substring(6)).path("error").path("type").asString())) {
                return "stream ended with " + line;
            }
        }
        return null;
    }

    private static String notAProblem(String body, int status) {
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem.path("status").asInt() != status || problem.path("code").asString("").isBlank()
                    || problem.path("type").asString("").isBlank() || problem.path("title").asString("").isBlank()) {
                return status + " with a problem body that lacks status, code, type or title: " + abbreviate(body);
            }
            if (body.contains("Exception") || body.contains("\tat ")) {
                return status + " with internals in the body: " + abbreviate(body);
            }
            return null;
        }
        catch (RuntimeException e) {
            return status + " with a body that is not JSON: " + abbreviate(body);
        }
    }

    /** A stream may end in {@code event: error}, but never with a 5xx problem. */
    private static String streamError(String body) {
        String[] lines = body.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].trim().equals("event:error")) {
                for (int j = i + 1; j < lines.length && !lines[j].isBlank(); j++) {
                    if (lines[j].startsWith("data:")) {
                        int status = JSON.readTree(lines[j].substring(5)).path("status").asInt();
                        if (status >= 500 || status == 0) {
                            return "stream ended with " + lines[j];
                        }
                    }
                }
            }
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
