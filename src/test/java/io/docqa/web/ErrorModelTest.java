package io.docqa.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.RawHttp;
import io.docqa.support.RawHttp.Request;
import io.docqa.support.RawHttp.Response;

/** Framework errors come out in the one problem+json shape too, and bad input never gives a 5xx. */
class ErrorModelTest extends IntegrationTest {

    @Test
    void unknownRouteIsAProblem404() {
        Account account = api.signup("Errors");
        http.get().uri("/api/v1/no-such-thing").header(HttpHeaders.AUTHORIZATION, account.bearer()).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:docqa:problem:not_found")
                .jsonPath("$.title").isEqualTo("Not Found")
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.detail").isNotEmpty()
                .jsonPath("$.instance").isEqualTo("/api/v1/no-such-thing")
                .jsonPath("$.code").isEqualTo("not_found");
        http.get().uri("/definitely/not/here").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void wrongMethodIsA405WithAllow() {
        http.get().uri("/api/v1/auth/login").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals(HttpHeaders.ALLOW, "POST")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("method_not_allowed");
    }

    @Test
    void wrongContentTypeIsA415() {
        http.post().uri("/api/v1/auth/login").contentType(MediaType.TEXT_PLAIN).bodyValue("email=x")
                .exchange()
                .expectStatus().isEqualTo(415)
                .expectBody().jsonPath("$.code").isEqualTo("unsupported_media_type");
    }

    @Test
    void malformedJsonIsA400() {
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"email\": ")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue("[1,2]")
                .exchange()
                .expectStatus().isBadRequest();
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void controlCharactersAndUnpairedSurrogatesAreA400NotADatabaseError() {
        http.post().uri("/api/v1/auth/signup").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"tenant_name\":\"Acme\\u0000\",\"email\":\"nul\\u0000@example.test\",\"password\":\"correct horse battery\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.errors[?(@.field == 'tenant_name')]").exists()
                .jsonPath("$.errors[?(@.field == 'email')]").exists();
        Account account = api.signup("Control characters");
        http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, account.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"ci\\u0007\",\"role\":\"viewer\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("name");
        for (String question : new String[] { "why\\u0000?", "lone \\ud800 surrogate", "\\udc00" }) {
            http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer()).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"question\":\"" + question + "\"}")
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("question");
        }
        http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer()).accept(MediaType.APPLICATION_JSON)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"question\":\"tabs\\tand\\nnew lines are fine, and so is \\ud83d\\ude00?\"}")
                .exchange()
                .expectStatus().isOk();
    }

    /** Sent with the JDK's client: WebTestClient refuses to send headers it cannot parse. */
    @Test
    void unparsableMediaTypesAndCharsetsAreA400() throws Exception {
        String login = "{\"email\":\"a@b.test\",\"password\":\"whatever1\"}";
        for (String contentType : new String[] { "application/json; charset=ebcdic", "application/json; charset=\"\"", "???" }) {
            expectMalformed(raw("/api/v1/auth/login", Map.of("Content-Type", contentType), login));
        }
        Account account = api.signup("Bad accept");
        expectMalformed(raw("/api/v1/chat", Map.of("Content-Type", "application/json", "Accept", "???",
                "Authorization", account.bearer()), "{\"question\":\"anything?\"}"));
    }

    private HttpResponse<String> raw(String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expectMalformed(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(response.body()).contains("\"code\":\"malformed_request\"");
    }

    /** Answers given before any route: Spring Security's firewall, the HTTP adapter and Reactor Netty's own limits. */
    @Test
    void rejectionsBeforeTheRouterAreProblems() {
        RawHttp raw = new RawHttp(port);
        Account account = api.signup("Before the router");
        for (String id : new String[] { "%2f", "%00", "%zz", "a%2fb", "%2e%2e" }) {
            expectProblem(raw.send(get("/api/v1/documents/" + id, account)), 400, "malformed_request");
        }
        expectProblem(raw.send(get("/api/v1/documents?page=%zz", account)), 400, "malformed_request");
        expectProblem(raw.send(get("/api/v1/documents?page=abc", account)), 400, "validation_failed");
        expectProblem(raw.send(get("/api/v1//documents", account)), 400, "malformed_request");
        for (String method : new String[] { "FOO", "TRACE", "PROPFIND" }) {
            Response odd = raw.send(new Request(method, "/api/v1/documents", RawHttp.headers("Authorization", account.bearer()), null));
            expectProblem(odd, 405, "method_not_allowed");
            assertThat(odd.header("Allow")).contains("GET", "POST", "DELETE");
        }
        expectProblem(raw.send(get("/api/v1/documents?q=" + "a".repeat(10_000), account)), 414, "uri_too_long");
        expectProblem(raw.send(new Request("GET", "/api/v1/me", RawHttp.headers("X-Big", "b".repeat(20_000)), null)), 431,
                "headers_too_large");
        expectProblem(raw.send(new Request("GET", "/api/v1/me", RawHttp.headers("Bad Header", "x"), null)), 400, "malformed_request");
        Response head = raw.send(new Request("HEAD", "/api/v1/me", RawHttp.headers("X-Big", "b".repeat(20_000)), null));
        assertThat(head.status()).isEqualTo(431);
        assertThat(head.body()).as("a HEAD answer has no body").isEmpty();
    }

    @Test
    void aQuestionOfNothingVisibleIsA400() {
        Account account = api.signup("Invisible question");
        for (String question : new String[] { "\\u200b\\u200b", "\\u2060 \\ufeff\\u00a0", "\\u3000" }) {
            http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer()).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"question\":\"" + question + "\"}")
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("question");
        }
    }

    @Test
    void brokenMultipartIsA400AndAFilenameBrokenByCrlfKeepsASafeName() {
        Account account = api.signup("Broken multipart");
        RawHttp raw = new RawHttp(port);
        String type = "multipart/form-data; boundary=XX";
        String unterminated = "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.txt\"\r\n\r\nno end";
        expectProblem(raw.send(upload(account, type, unterminated)), 400, "malformed_request");
        expectProblem(raw.send(upload(account, "multipart/form-data", "no boundary")), 400, "malformed_request");
        String crlf = "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\r\nb.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nA file whose name a CRLF broke.\r\n--XX--\r\n";
        Response created = raw.send(upload(account, type, crlf));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String filename = tools.jackson.databind.json.JsonMapper.builder().build().readTree(created.body())
                .at("/documents/0/filename").asString();
        assertThat(filename).isNotBlank().doesNotContain("\"", "\r", "\n");
    }

    private static Request get(String target, Account account) {
        return new Request("GET", target, RawHttp.headers("Authorization", account.bearer()), null);
    }

    private static Request upload(Account account, String type, String body) {
        return new Request("POST", "/api/v1/documents", RawHttp.headers("Authorization", account.bearer(), "Content-Type", type,
                "Accept", "application/json"), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void expectProblem(Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(response.body()).contains("\"code\":\"" + code + "\"", "\"status\":" + status);
    }

    @Test
    void oversizedJsonIsA413() {
        String huge = "{\"email\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"password\":\"p\"}";
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue(huge)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("payload_too_large");
    }

    @Test
    void problemsLeakNoInternals() {
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"email\": [}")
                .exchange()
                .expectBody(String.class)
                .value(body -> org.assertj.core.api.Assertions.assertThat(body)
                        .doesNotContain("Exception", "at io.", "jackson", "SQL", "127.0.0.1"));
    }
}
