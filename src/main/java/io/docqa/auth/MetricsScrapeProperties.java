package io.docqa.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code /actuator/prometheus} answers only a bearer {@code scrapeToken}; without one configured, nobody scrapes it
 * on the public port.
 */
@ConfigurationProperties("docqa.metrics")
record MetricsScrapeProperties(String scrapeToken) {

    boolean accepts(String presented) {
        return scrapeToken != null && !scrapeToken.isBlank() && presented != null
                && MessageDigest.isEqual(scrapeToken.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "MetricsScrapeProperties[scrapeToken=" + Secrets.HIDDEN + "]";
    }
}
