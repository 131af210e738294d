package io.docqa.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.http.client.ReactorResourceFactory;
import io.docqa.DocqaApplication;

/**
 * One more instance of the whole service in this JVM (its own application context and port) on the same PostgreSQL
 * database, Chroma and model server as the context the integration tests share, with settings of its own on top.
 */
public final class ServiceInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private ServiceInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static ServiceInstance startLike(ConfigurableEnvironment shared, Map<String, String> settings) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (PropertySource<?> source : shared.getPropertySources()) {
            if (source.getName().startsWith("Dynamic") && source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    properties.put(name, String.valueOf(enumerable.getProperty(name)));
                }
            }
        }
        properties.put("server.port", "0");
        properties.putAll(settings);
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
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
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
