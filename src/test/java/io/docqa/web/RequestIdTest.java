package io.docqa.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.LogLines;
import io.docqa.support.RawHttp;
import io.docqa.support.RawHttp.Request;
import io.docqa.support.RawHttp.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(OutputCaptureExtension.class)
class RequestIdTest extends IntegrationTest {

    private static final String UUID_SHAPE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void aGivenIdComesBackInTheHeaderAndTheProblem() {
        EntityExchangeResult<JsonNode> result = unauthorized(Map.of(RequestIds.HEADER, "client-42.retry:1"));

        assertThat(result.getResponseHeaders().getFirst(RequestIds.HEADER)).isEqualTo("client-42.retry:1");
        assertThat(result.getResponseBody().get("request_id").asString()).isEqualTo("client-42.retry:1");
    }

    @Test
    void aTraceparentGivesItsTraceId() {
        EntityExchangeResult<JsonNode> result = unauthorized(
                Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));

        assertThat(result.getResponseHeaders().getFirst(RequestIds.HEADER)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(result.getResponseBody().get("request_id").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void anUnsafeOrOverlongIdIsReplacedByAFreshOne() {
        for (String unsafe : List.of("a".repeat(65), "<script>", "a b", "x\"y")) {
            EntityExchangeResult<JsonNode> result = unauthorized(Map.of(RequestIds.HEADER, unsafe,
                    "traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"));

            String id = result.getResponseHeaders().getFirst(RequestIds.HEADER);
            assertThat(id).as(unsafe).matches(UUID_SHAPE);
            assertThat(result.getResponseBody().get("request_id").asString()).isEqualTo(id);
        }
    }

    @Test
    void everyRequestWithoutOneGetsADifferentFreshId() {
        EntityExchangeResult<JsonNode> first = unauthorized(Map.of());
        EntityExchangeResult<JsonNode> second = unauthorized(Map.of());

        String id = first.getResponseHeaders().getFirst(RequestIds.HEADER);
        assertThat(id).matches(UUID_SHAPE);
        assertThat(first.getResponseBody().get("request_id").asString()).isEqualTo(id);
        assertThat(second.getResponseHeaders().getFirst(RequestIds.HEADER)).matches(UUID_SHAPE).isNotEqualTo(id);
    }

    @Test
    void aSuccessCarriesTheIdToo() {
        Account owner = api.signup("Request ids");
        http.get().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .header(RequestIds.HEADER, "listing-1").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(RequestIds.HEADER, "listing-1");
    }

    @Test
    void anErrorAnsweredBelowSpringCarriesOne() {
        Response response = new RawHttp(port).send(new Request("GET", "/api/v1/" + "a".repeat(9000),
                List.of(Map.entry("Host", "localhost")), new byte[0]));

        assertThat(response.status()).isEqualTo(414);
        String id = response.header(RequestIds.HEADER);
        assertThat(id).matches(UUID_SHAPE);
        assertThat(JsonMapper.shared().readTree(response.body()).get("request_id").asString()).isEqualTo(id);
    }

    @Test
    void everyLogLineOfARequestCarriesItsIdAndItsCaller(CapturedOutput output) {
        Account owner = api.signup("Logged");
        try (var debug = LogLines.debug("org.springframework.security", "io.r2dbc.postgresql.QUERY")) {
            http.get().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                    .header(RequestIds.HEADER, "logged-1").exchange()
                    .expectStatus().isOk();
        }

        List<JsonNode> lines = LogLines.of(output).stream()
                .filter(line -> "logged-1".equals(line.path("request_id").asString(null))).toList();
        assertThat(lines).hasSizeGreaterThan(2);
        // the id follows the request from the HTTP thread to the database driver's
        assertThat(lines.stream().map(line -> line.at("/process/thread/name").asString()).distinct())
                .as("threads").hasSizeGreaterThan(1);
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.at("/log/logger").asString()).isEqualTo("io.r2dbc.postgresql.QUERY");
            assertThat(line.path("tenant_id").asString("")).isEqualTo(owner.tenantId().toString());
            assertThat(line.path("user_id").asString("")).isEqualTo(owner.userId().toString());
        });
    }

    private EntityExchangeResult<JsonNode> unauthorized(Map<String, String> headers) {
        return http.get().uri("/api/v1/me").headers(h -> headers.forEach(h::add)).exchange()
                .expectStatus().isUnauthorized()
                .expectBody(JsonNode.class).returnResult();
    }
}
