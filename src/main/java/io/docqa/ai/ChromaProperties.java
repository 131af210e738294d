package io.docqa.ai;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Chroma server (API v2). {@code timeout} bounds each call (connect and answer), {@code maxConcurrency} is the
 * number of threads of the {@code chroma} scheduler, that is, of blocking calls to Chroma at the same time;
 * {@code isolation} says where each tenant's collection lives.
 */
@ConfigurationProperties("docqa.chroma")
record ChromaProperties(
        @DefaultValue("http://localhost:8000") URI url,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("8") int maxConcurrency,
        @DefaultValue("collection") ChromaIsolation isolation) {

    ChromaProperties {
        Objects.requireNonNull(url, "url");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("docqa.chroma.timeout must be positive");
        }
        Objects.requireNonNull(isolation, "isolation");
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("docqa.chroma.max-concurrency must be at least 1");
        }
    }

    /** The base URL with a trailing slash, as LangChain4j's store and {@link ChromaCollections} expect it. */
    String baseUrl() {
        String base = url.toString();
        return base.endsWith("/") ? base : base + "/";
    }
}
