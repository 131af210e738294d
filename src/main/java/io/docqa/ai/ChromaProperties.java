package io.docqa.ai;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Chroma server (API v2). {@code timeout} bounds each call (connect and answer), {@code maxConcurrency} is the
 * number of threads of the {@code chroma} scheduler, that is, of blocking calls to Chroma at the same time;
 * {@code isolation} says where each tenant's collection lives. The adds of files indexed at the same time into one
 * collection go to Chroma together ({@link ChromaWrites}): an add waits at most {@code addLinger} for others, and one
 * call carries at most {@code maxAddRecords} records (more when a single add is larger).
 */
@ConfigurationProperties("docqa.chroma")
record ChromaProperties(
        @DefaultValue("http://localhost:8000") URI url,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("8") int maxConcurrency,
        @DefaultValue("collection") ChromaIsolation isolation,
        @DefaultValue("300ms") Duration addLinger,
        @DefaultValue("256") int maxAddRecords) {

    @ConstructorBinding
    ChromaProperties {
        Objects.requireNonNull(url, "url");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("docqa.chroma.timeout must be positive");
        }
        Objects.requireNonNull(isolation, "isolation");
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("docqa.chroma.max-concurrency must be at least 1");
        }
        if (addLinger == null || addLinger.isNegative()) {
            throw new IllegalArgumentException("docqa.chroma.add-linger must not be negative");
        }
        if (maxAddRecords < 1) {
            throw new IllegalArgumentException("docqa.chroma.max-add-records must be at least 1");
        }
    }

    ChromaProperties(URI url, Duration timeout, int maxConcurrency, ChromaIsolation isolation) {
        this(url, timeout, maxConcurrency, isolation, Duration.ofMillis(300), 256);
    }

    /** The base URL with a trailing slash, as LangChain4j's store and {@link ChromaCollections} expect it. */
    String baseUrl() {
        String base = url.toString();
        return base.endsWith("/") ? base : base + "/";
    }
}
