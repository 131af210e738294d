package io.docqa.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The settings of a service under test: a fresh PostgreSQL database, a real Chroma, this run's Redis, the given model
 * server, and limits small enough to reach in a test (rate limits out of the way).
 */
public final class ServiceProperties {

    /** The bearer token that {@code /actuator/prometheus} asks for in these tests. */
    public static final String SCRAPE_TOKEN = "test-scrape-token";

    /** The operator's bearer token for {@code /operator/**} in these tests. */
    public static final String OPERATOR_TOKEN = "test-operator-token";

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
        registry.add("docqa.chat.allowed-models", () -> "llama3.2:3b,qwen2.5:7b"); // tenant settings choose among these
        registry.add("docqa.metrics.scrape-token", () -> SCRAPE_TOKEN);
        registry.add("docqa.operator.token", () -> OPERATOR_TOKEN);
        registry.add("docqa.cors.allowed-origins", () -> ALLOWED_ORIGIN);
        registry.add("docqa.auth.key-encryption.key", () -> KEY_ENCRYPTION_KEY);
        registry.add("docqa.shutdown.drain-period", () -> "0s");
        registry.add("docqa.redis.url", TestRedis::url);
        registry.add("docqa.redis.key-prefix", TestRedis::keyPrefix);
        registry.add("docqa.redis.timeout", () -> "10s"); // a Redis starved of CPU is slow, not away
        // tests play clients of their own with X-Forwarded-For
        registry.add("docqa.client-address.trusted-proxies", () -> "127.0.0.1,::1");
        // every test calls from 127.0.0.1: limits per client, user and tenant out of the way (SharedLimitsTest sets its
        // own); the limits per account stay at their defaults, each test has accounts of its own
        for (String limit : List.of("signup-per-client", "login-per-client", "refresh-per-client", "chat-per-caller",
                "chat-per-tenant", "upload-per-caller", "upload-per-tenant")) {
            registry.add("docqa.rate-limit." + limit + ".capacity", () -> "100000");
        }
    }

    /** The same settings, as values. */
    public static Map<String, String> of(String ollamaBaseUrl) {
        Map<String, String> properties = new LinkedHashMap<>();
        register((name, value) -> properties.put(name, String.valueOf(value.get())), () -> ollamaBaseUrl);
        return properties;
    }
}
