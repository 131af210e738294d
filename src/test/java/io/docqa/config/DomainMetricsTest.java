package io.docqa.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.PrometheusScrape;

/**
 * The service's own metrics, read as Prometheus reads them: after an upload, an answer and a refusal, each series has
 * moved by what happened, and no tenant or user id is in any of them.
 */
class DomainMetricsTest extends IntegrationTest {

    private static final String TEXT = "The night ferry to the island leaves the harbour at eleven o'clock every Friday.";

    @Test
    void anUploadAnAnswerAndARefusalShowInTheMetrics() {
        PrometheusScrape before = PrometheusScrape.of(http);
        Account owner = api.signup("Metrics");
        api.upload(owner, "ferry.txt", TEXT);
        OLLAMA.answer("At", " eleven", " on", " Fridays", " [1].").firstTokenDelay(Duration.ofMillis(200))
                .tokenDelay(Duration.ofMillis(50));
        http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "When does the night ferry leave?"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.finish_reason").isEqualTo("stop");
        refusedLogin();

        PrometheusScrape after = PrometheusScrape.of(http);

        assertThat(after.increase(before, "docqa_ingestion_documents_total", "outcome=\"ready\"", "reason=\"none\"")).isEqualTo(1);
        assertThat(after.increase(before, "docqa_ingestion_bytes_sum")).isEqualTo(TEXT.length());
        assertThat(after.increase(before, "docqa_ingestion_chunks_sum")).isEqualTo(1);
        assertThat(after.increase(before, "docqa_ingestion_embed_seconds_count")).isEqualTo(1);
        assertThat(after.increase(before, "docqa_ingestion_duration_seconds_bucket", "outcome=\"ready\"", "le=\"+Inf\"")).isEqualTo(1);

        assertThat(after.increase(before, "docqa_answers_total", "outcome=\"stop\"")).isEqualTo(1);
        assertThat(after.increase(before, "docqa_answer_first_token_seconds_count")).isEqualTo(1);
        assertThat(after.increase(before, "docqa_answer_first_token_seconds_sum")).as("the model's 200 ms before its first token")
                .isGreaterThanOrEqualTo(0.2);
        assertThat(after.increase(before, "docqa_answer_first_token_seconds_bucket", "le=\"0.25\""))
                .as("only a bucket above 200 ms holds it").isLessThanOrEqualTo(after.increase(before,
                        "docqa_answer_first_token_seconds_bucket", "le=\"60.0\""));
        assertThat(after.increase(before, "docqa_answer_completion_tokens_sum")).isEqualTo(5);
        double tokensPerSecond = after.increase(before, "docqa_answer_tokens_per_second_sum");
        assertThat(tokensPerSecond).as("5 tokens at least 4 x 50 ms apart").isGreaterThan(0).isLessThanOrEqualTo(25);
        assertThat(after.increase(before, "docqa_generation_queue_wait_seconds_count")).isEqualTo(1);
        assertThat(after.value("docqa_generation_queue_depth")).isEqualTo(0, within(0.0));
        assertThat(after.names()).contains("docqa_generation_active");

        assertThat(after.increase(before, "docqa_chroma_requests_seconds_count", "operation=\"add\"", "outcome=\"success\"",
                "error=\"none\"")).isGreaterThanOrEqualTo(1);
        assertThat(after.increase(before, "docqa_chroma_requests_seconds_count", "operation=\"search\"")).isGreaterThanOrEqualTo(1);
        assertThat(after.increase(before, "docqa_ollama_requests_seconds_count", "operation=\"chat\"", "outcome=\"success\""))
                .isEqualTo(1);
        assertThat(after.increase(before, "docqa_ollama_first_token_seconds_sum")).isGreaterThanOrEqualTo(0.2);

        assertThat(after.increase(before, "docqa_refusals_total", "status=\"429\"", "code=\"rate_limited\"")).isEqualTo(1);

        assertThat(after.text()).doesNotContain(owner.tenantId().toString()).doesNotContain(owner.userId().toString());
    }

    @Test
    void aFailedAnswerCountsByItsProblemCode() {
        Account owner = api.signup("Metrics failure");
        api.upload(owner, "ferry.txt", TEXT);
        OLLAMA.errorAfter(0, "model crashed");
        PrometheusScrape before = PrometheusScrape.of(http);
        http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .accept(MediaType.TEXT_EVENT_STREAM).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "When does the night ferry leave?"))
                .exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("event:error"));

        PrometheusScrape after = PrometheusScrape.of(http);
        assertThat(after.increase(before, "docqa_answers_total", "outcome=\"llm_failed\"")).isEqualTo(1);
        assertThat(after.increase(before, "docqa_ollama_requests_seconds_count", "operation=\"chat\"", "outcome=\"error\"",
                "error=\"LlmException\"")).isEqualTo(1);
    }

    /**
     * Every query of the Grafana dashboard reads only series that a running service exports, once it has uploaded,
     * answered and refused ({@code .ci/dashboard-check.sh} also runs each query in a real Prometheus).
     */
    @Test
    void everyDashboardQueryReadsSeriesTheServiceExports() {
        Account owner = api.signup("Dashboard");
        api.upload(owner, "ferry.txt", TEXT);
        OLLAMA.answer("At", " eleven", " [1].");
        http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "When does the night ferry leave?"))
                .exchange().expectStatus().isOk();
        refusedLogin();
        Set<String> exported = PrometheusScrape.of(http).names();

        List<String> expressions = DashboardQueries.expressions();
        assertThat(expressions).hasSizeGreaterThan(10);
        for (String expression : expressions) {
            Set<String> names = DashboardQueries.metricNames(expression);
            assertThat(names).as("metrics of %s", expression).isNotEmpty();
            assertThat(exported).as("series exported, for %s", expression).containsAll(names);
        }
    }

    @Test
    void queriesAreReadDownToTheirMetricNames() {
        assertThat(DashboardQueries.metricNames("histogram_quantile(0.95, sum by (le, operation) "
                + "(rate(docqa_chroma_requests_seconds_bucket{outcome=\"error\"}[$__rate_interval])))"))
                .containsExactly("docqa_chroma_requests_seconds_bucket");
        assertThat(DashboardQueries.metricNames("sum(rate(a_b_sum[5m])) / sum(rate(a_b_count[5m])) or vector(0)"))
                .containsExactly("a_b_count", "a_b_sum");
    }

    /**
     * Without trace export no exemplar is written, even for a sampled request: a Prometheus before 2.43 refuses a
     * whole scrape with an exemplar on a {@code _count}, as Debian 12's did here.
     */
    @Test
    void withoutTraceExportTheScrapeCarriesNoExemplars() {
        Account owner = api.signup("Exemplars");
        for (int i = 0; i < 3; i++) {
            http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                    .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e473" + i + "-00f067aa0ba902b7-01")
                    .exchange().expectStatus().isOk();
        }
        String openMetrics = http.get().uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + SCRAPE_TOKEN)
                .header(HttpHeaders.ACCEPT, "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(openMetrics).contains("http_server_requests_seconds_count").contains("# EOF").doesNotContain("trace_id");
    }

    /** Five wrong passwords for one account, then a sixth attempt: 429. */
    private void refusedLogin() {
        String email = Api.uniqueEmail("nobody");
        for (int i = 0; i < 5; i++) {
            http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("email", email, "password", "wrong password!"))
                    .exchange().expectStatus().isUnauthorized();
        }
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", "wrong password!"))
                .exchange().expectStatus().isEqualTo(429);
    }
}
