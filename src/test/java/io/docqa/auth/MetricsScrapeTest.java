package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;

class MetricsScrapeTest extends IntegrationTest {

    @Test
    void metricsAreClosedToAnyoneWithoutTheScrapeToken() {
        Account owner = api.signup("Scraper");
        for (String authorization : new String[] { null, "Bearer wrong-token", owner.bearer(), "Basic dXNlcjpwYXNz" }) {
            var request = http.get().uri("/actuator/prometheus");
            if (authorization != null) {
                request = request.header(HttpHeaders.AUTHORIZATION, authorization);
            }
            request.exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")
                    .expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        }
    }

    @Test
    void theScrapeTokenReadsTheMetrics() {
        String metrics = http.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + SCRAPE_TOKEN)
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    @Test
    void healthStaysOpenForProbes() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }
}
