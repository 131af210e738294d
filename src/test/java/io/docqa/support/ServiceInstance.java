package io.docqa.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import io.docqa.DocqaApplication;

/**
 * One more instance of the whole service in this JVM, on a port of its own: an application context of its own against
 * the same PostgreSQL, Chroma and Redis as the others, as a second process would be.
 */
public final class ServiceInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private ServiceInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** {@link ServiceProperties} with {@code overrides} on top. */
    public static ServiceInstance start(String ollamaUrl, Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(ServiceProperties.of(ollamaUrl));
        properties.putAll(overrides);
        properties.put("server.port", "0");
        // as command-line arguments: they win over application.yaml, as a test's properties do
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new ServiceInstance(new SpringApplicationBuilder(DocqaApplication.class).run(arguments));
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port()).responseTimeout(Duration.ofSeconds(60)).build();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
