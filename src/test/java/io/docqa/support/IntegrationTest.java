package io.docqa.support;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The base of tests that run the whole service on a random port against real PostgreSQL (one fresh database per
 * test run), a real Chroma and the fake Ollama. All such tests share one application context; each test makes its own tenants, so none depends on another.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IntegrationTest {

    /** The bearer token that {@code /actuator/prometheus} asks for in these tests. */
    protected static final String SCRAPE_TOKEN = "test-scrape-token";

    /** The one browser origin besides its own that the service under test lets call its API. */
    protected static final String ALLOWED_ORIGIN = "https://app.example.test";

    /** One fake model server for the whole run; tests that script it reset it first. */
    protected static final FakeOllama OLLAMA = FakeOllama.start();

    @LocalServerPort
    protected int port;

    @Autowired
    protected DatabaseClient db;

    protected WebTestClient http;
    protected Api api;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        serviceProperties(OLLAMA.baseUrl()).forEach((name, value) -> registry.add(name, () -> value));
    }

    /**
     * The settings of a service under test: this run's PostgreSQL, Chroma and Redis, the model server at
     * {@code ollamaUrl}, small limits. {@link ServiceInstance} starts more instances with them.
     */
    public static Map<String, String> serviceProperties(String ollamaUrl) {
        TestDatabase database = TestDatabase.get();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", database.r2dbcUrl());
        properties.put("spring.r2dbc.username", database.user());
        properties.put("spring.r2dbc.password", database.password());
        properties.put("spring.flyway.url", database.jdbcUrl());
        properties.put("spring.flyway.user", database.user());
        properties.put("spring.flyway.password", database.password());
        properties.put("docqa.chroma.url", ChromaServer.get().url());
        properties.put("docqa.chroma.timeout", "30s"); // a Chroma starved of CPU is slow, not away
        properties.put("docqa.ollama.base-url", ollamaUrl);
        properties.put("docqa.ollama.first-token-timeout", "3s");
        properties.put("docqa.ollama.stall-timeout", "2s");
        properties.put("docqa.ollama.answer-timeout", "20s");
        properties.put("docqa.upload.max-file-size", "1MB");
        properties.put("docqa.upload.max-parts", "3");
        properties.put("docqa.chat.max-concurrent-generations", "2");
        properties.put("docqa.chat.max-queued-generations", "2");
        properties.put("docqa.chat.keep-alive-interval", "1s");
        properties.put("docqa.metrics.scrape-token", SCRAPE_TOKEN);
        properties.put("docqa.cors.allowed-origins", ALLOWED_ORIGIN);
        properties.put("docqa.redis.url", TestRedis.url());
        properties.put("docqa.redis.key-prefix", TestRedis.keyPrefix());
        // tests play clients of their own with X-Forwarded-For
        properties.put("docqa.client-address.trusted-proxies", "127.0.0.1,::1");
        // every test calls from 127.0.0.1: limits per client, user and tenant out of the way (SharedLimitsTest sets its
        // own); the limits per account stay at their defaults, each test has accounts of its own
        for (String limit : List.of("signup-per-client", "login-per-client", "refresh-per-client", "chat-per-caller",
                "chat-per-tenant", "upload-per-caller", "upload-per-tenant")) {
            properties.put("docqa.rate-limit." + limit + ".capacity", "100000");
        }
        return properties;
    }

    @BeforeEach
    void client() {
        http = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        api = new Api(http);
        OLLAMA.reset();
    }
}
