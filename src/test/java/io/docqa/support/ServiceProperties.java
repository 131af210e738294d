package io.docqa.support;

import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The settings of a service under test: a fresh PostgreSQL database, a real Chroma, the given model server, and limits
 * small enough to reach in a test.
 */
public final class ServiceProperties {

    /** The bearer token that {@code /actuator/prometheus} asks for in these tests. */
    public static final String SCRAPE_TOKEN = "test-scrape-token";

    /** The one browser origin besides its own that the service under test lets call its API. */
    public static final String ALLOWED_ORIGIN = "https://app.example.test";

    /** The key-encryption key of the services under test (32 bytes, base64); some tests make others of their own. */
    public static final String KEY_ENCRYPTION_KEY = "dGVzdC1rZXktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=";

    private ServiceProperties() {
    }

    public static void register(DynamicPropertyRegistry registry, Supplier<Object> ollamaBaseUrl) {
        TestDatabase database = TestDatabase.get();
        registry.add("spring.r2dbc.url", database::r2dbcUrl);
        registry.add("spring.r2dbc.username", database::user);
        registry.add("spring.r2dbc.password", database::password);
        registry.add("spring.flyway.url", database::jdbcUrl);
        registry.add("spring.flyway.user", database::user);
        registry.add("spring.flyway.password", database::password);
        registry.add("docqa.chroma.url", () -> ChromaServer.get().url());
        registry.add("docqa.chroma.timeout", () -> "30s"); // a Chroma starved of CPU is slow, not away
        registry.add("docqa.ollama.base-url", ollamaBaseUrl);
        registry.add("docqa.ollama.first-token-timeout", () -> "3s");
        registry.add("docqa.ollama.stall-timeout", () -> "2s");
        registry.add("docqa.ollama.answer-timeout", () -> "20s");
        registry.add("docqa.upload.max-file-size", () -> "1MB");
        registry.add("docqa.upload.max-parts", () -> "3");
        registry.add("docqa.chat.max-concurrent-generations", () -> "2");
        registry.add("docqa.chat.max-queued-generations", () -> "2");
        registry.add("docqa.chat.keep-alive-interval", () -> "1s");
        registry.add("docqa.metrics.scrape-token", () -> SCRAPE_TOKEN);
        registry.add("docqa.cors.allowed-origins", () -> ALLOWED_ORIGIN);
        registry.add("docqa.auth.key-encryption.key", () -> KEY_ENCRYPTION_KEY);
    }
}
