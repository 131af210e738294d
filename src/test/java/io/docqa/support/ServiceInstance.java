package io.docqa.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;
import io.docqa.DocqaApplication;

/**
 * One more instance of the whole service in this JVM, on a port of its own: an application context of its own against
 * the same PostgreSQL, Chroma and Redis as the others, as a second process would be, with settings of its own on top.
 */
public final class ServiceInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private ServiceInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** {@link ServiceProperties} with {@code overrides} on top. */
    public static ServiceInstance start(String ollamaUrl, Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>(ServiceProperties.of(ollamaUrl));
        properties.putAll(overrides);
        return run(properties);
    }

    /** The dynamic test properties of {@code shared} (the context the integration tests share) with {@code settings} on top. */
    public static ServiceInstance startLike(ConfigurableEnvironment shared, Map<String, String> settings) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (PropertySource<?> source : shared.getPropertySources()) {
            if (source.getName().startsWith("Dynamic") && source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    properties.put(name, String.valueOf(enumerable.getProperty(name)));
                }
            }
        }
        properties.putAll(settings);
        return run(properties);
    }

    private static ServiceInstance run(Map<String, String> properties) {
        properties.put("server.port", "0");
        // as the shared context logs: JSON lines, so that LogLines can tell the service's lines from the clients'
        properties.putIfAbsent("logging.config", "classpath:logback-service.xml");
        // as command-line arguments: they win over application.yaml, as a test's properties do
        List<String> arguments = new ArrayList<>();
        properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return new ServiceInstance(new SpringApplicationBuilder(DocqaApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("reactorResourceFactory", ownNettyResources()))
                .run(arguments.toArray(String[]::new)));
    }

    /**
     * Event loops and connections of its own: with Reactor Netty's global ones (Boot's default), closing this
     * instance would dispose of those of every other context in the JVM, the one the other tests share included.
     */
    private static ReactorResourceFactory ownNettyResources() {
        ReactorResourceFactory resources = new ReactorResourceFactory();
        resources.setUseGlobalResources(false);
        resources.afterPropertiesSet();
        return resources;
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

    public boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        context.close();
    }
}
