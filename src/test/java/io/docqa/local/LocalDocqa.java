package io.docqa.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import io.docqa.DocqaApplication;
import io.docqa.support.ChromaServer;

/**
 * docqa on this machine without Docker, in one command: {@code ./mvnw spring-boot:test-run@local}. It lives with the
 * tests so that the embedded PostgreSQL stays out of the service's jar.
 * <ul>
 *   <li>PostgreSQL: the one configured ({@code SPRING_R2DBC_URL}...), else an embedded one (zonky) on
 *       {@code DOCQA_LOCAL_POSTGRES_PORT} (default: a free port);</li>
 *   <li>Chroma: the one configured ({@code DOCQA_CHROMA_URL}), else Chroma from npm as the tests start it;</li>
 *   <li>Redis: the one configured ({@code DOCQA_REDIS_URL}), else the one on 127.0.0.1:6379, else {@code redis-server}
 *       started on a free port;</li>
 *   <li>the model: Ollama at {@code DOCQA_OLLAMA_BASE_URL} (default {@code http://localhost:11434}) when one answers;
 *       the service runs without one ({@code docqa.ollama.required=false} unless set): answers then list the
 *       passages found;</li>
 *   <li>the key-encryption key of the signing keys: the one configured, else the dev profile's public one.</li>
 * </ul>
 * The services it starts keep their data under {@code DOCQA_LOCAL_DATA_DIR} (default {@code .cache/local}) and stop
 * with it. Anything else is configured as for the jar.
 */
public final class LocalDocqa {

    private static final Logger log = LoggerFactory.getLogger(LocalDocqa.class);

    private LocalDocqa() {
    }

    public static void main(String[] args) throws Exception {
        StandardEnvironment configured = new StandardEnvironment();
        configured.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        Path dataDir = Path.of(configured.getProperty("docqa.local.data-dir", ".cache/local")).toAbsolutePath();

        Map<String, String> local = new LinkedHashMap<>();
        if (!configured.containsProperty("spring.r2dbc.url")) {
            int port = configured.getProperty("docqa.local.postgres-port", Integer.class, 0);
            log.info("No PostgreSQL configured (SPRING_R2DBC_URL): starting an embedded one, data in {}", dataDir.resolve("postgres"));
            local.putAll(LocalPostgres.start(dataDir.resolve("postgres"), port).properties());
        }
        if (!configured.containsProperty("docqa.chroma.url")) {
            log.info("No Chroma configured (DOCQA_CHROMA_URL): starting Chroma from npm, data in {}", dataDir.resolve("chroma"));
            local.put("docqa.chroma.url", ChromaServer.fromNpm(dataDir.resolve("chroma")).url());
        }
        if (!configured.containsProperty("docqa.auth.key-encryption.key") && !configured.containsProperty("spring.profiles.active")) {
            log.warn("No key-encryption key configured (DOCQA_AUTH_KEY_ENCRYPTION_KEY): the dev profile's public one seals the signing keys");
            local.put("spring.profiles.active", "dev");
        }
        if (!configured.containsProperty("docqa.redis.url")) {
            local.put("docqa.redis.url", LocalRedis.urlStartingIfNeeded(dataDir.resolve("redis")));
            log.info("No Redis configured (DOCQA_REDIS_URL): the rate limits use {}", local.get("docqa.redis.url"));
        }
        if (!configured.containsProperty("docqa.ollama.required")) {
            local.put("docqa.ollama.required", "false");
        }
        reportModel(configured.getProperty("docqa.ollama.base-url", "http://localhost:11434"));

        List<String> arguments = new ArrayList<>(List.of(args));
        local.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        DocqaApplication.main(arguments.toArray(String[]::new));
    }

    private static void reportModel(String baseUrl) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest tags = HttpRequest.newBuilder(URI.create(baseUrl).resolve("/api/tags")).timeout(Duration.ofSeconds(2)).build();
        try {
            int status = client.send(tags, HttpResponse.BodyHandlers.discarding()).statusCode();
            log.info("Ollama answers at {} (HTTP {}): answers come from its model", baseUrl, status);
        }
        catch (IOException e) {
            log.warn("No Ollama answers at {}: the service runs without a model, and answers list the passages found "
                    + "(finish_reason no_model) until one does", baseUrl);
        }
    }
}
