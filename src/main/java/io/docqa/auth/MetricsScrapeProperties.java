package io.docqa.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import io.docqa.web.TokenGuardedPaths;

/**
 * {@code /actuator/prometheus} answers only a bearer {@code scrapeToken}; without one configured, nobody scrapes it
 * on the public port.
 */
@ConfigurationProperties("docqa.metrics")
record MetricsScrapeProperties(String scrapeToken) {

    boolean accepts(String presented) {
        return TokenGuardedPaths.matches(scrapeToken, presented);
    }

    @Override
    public String toString() {
        return "MetricsScrapeProperties[scrapeToken=" + Secrets.HIDDEN + "]";
    }
}
