package io.docqa.support;

import java.time.Duration;

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
        TestDatabase database = TestDatabase.get();
        registry.add("spring.r2dbc.url", database::r2dbcUrl);
        registry.add("spring.r2dbc.username", database::user);
        registry.add("spring.r2dbc.password", database::password);
        registry.add("spring.flyway.url", database::jdbcUrl);
        registry.add("spring.flyway.user", database::user);
        registry.add("spring.flyway.password", database::password);
        registry.add("docqa.chroma.url", () -> ChromaServer.get().url());
        registry.add("docqa.chroma.timeout", () -> "30s"); // a Chroma starved of CPU is slow, not away
        registry.add("docqa.ollama.base-url", () -> OLLAMA.baseUrl());
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
        registry.add("docqa.redis.url", TestRedis::url);
        registry.add("docqa.redis.key-prefix", TestRedis::keyPrefix);
        registry.add("docqa.client-address.trusted-proxies", () -> "127.0.0.1,::1");
        // every test calls from 127.0.0.1: limits per client, user and tenant out of the way (RateLimitsTest sets its own);
        // the limits per account stay at their defaults, each test has accounts of its own
        for (String limit : GENEROUS_LIMITS) {
            registry.add("docqa.rate-limit." + limit + ".capacity", () -> "100000");
        }
    }

    private static final String[] GENEROUS_LIMITS = {"signup-per-client", "login-per-client", "refresh-per-client",
            "chat-per-caller", "chat-per-tenant", "upload-per-caller", "upload-per-tenant"};

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
