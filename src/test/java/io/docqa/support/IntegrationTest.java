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
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.config=classpath:logback-service.xml")
public abstract class IntegrationTest {

    /** The bearer token that {@code /actuator/prometheus} asks for in these tests. */
    protected static final String SCRAPE_TOKEN = ServiceProperties.SCRAPE_TOKEN;

    /** The one browser origin besides its own that the service under test lets call its API. */
    protected static final String ALLOWED_ORIGIN = ServiceProperties.ALLOWED_ORIGIN;

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
        ServiceProperties.register(registry, OLLAMA::baseUrl);
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
