package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import io.docqa.tenant.TenantId;

class ChromaPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void defaults() {
        context.run(ctx -> assertThat(ctx.getBean(ChromaProperties.class))
                .isEqualTo(new ChromaProperties(URI.create("http://localhost:8000"), Duration.ofSeconds(10), 8,
                        ChromaIsolation.COLLECTION)));
    }

    @Test
    void environmentVariablesOverrideTheDefaults() {
        context.withInitializer(ctx -> ctx.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                                "DOCQA_CHROMA_URL", "http://chroma:8000",
                                "DOCQA_CHROMA_TIMEOUT", "3s",
                                "DOCQA_CHROMA_MAX_CONCURRENCY", "2",
                                "DOCQA_CHROMA_ISOLATION", "database"))))
                .run(ctx -> {
                    ChromaProperties properties = ctx.getBean(ChromaProperties.class);
                    assertThat(properties.url()).isEqualTo(URI.create("http://chroma:8000"));
                    assertThat(properties.baseUrl()).isEqualTo("http://chroma:8000/");
                    assertThat(properties.timeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(properties.maxConcurrency()).isEqualTo(2);
                    assertThat(properties.isolation()).isEqualTo(ChromaIsolation.DATABASE);
                });
    }

    @Test
    void aZeroTimeoutIsRejectedAtStartUp() {
        context.withPropertyValues("docqa.chroma.timeout=0s").run(ctx -> assertThat(ctx).hasFailed());
    }

    @Test
    void anUnknownIsolationLevelIsRejectedAtStartUp() {
        context.withPropertyValues("docqa.chroma.isolation=document").run(ctx -> assertThat(ctx).hasFailed());
    }

    @Test
    void theAdaptersWireFromTheProperties() {
        context.withUserConfiguration(Adapters.class)
                .withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(ctx -> {
            assertThat(ctx).hasSingleBean(Embedder.class).hasSingleBean(TenantVectorIndex.class);
            assertThat(ctx.getBean(TenantVectorIndex.class).address(new TenantId(
                    UUID.fromString("00000000-0000-0000-0000-000000000001"))).collection())
                    .isEqualTo("docqa-00000000-0000-0000-0000-000000000001-all-minilm-l6-v2-q");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @Import({Embedder.class, TenantVectorIndex.class})
    static class Adapters {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ChromaProperties.class, EmbeddingProperties.class})
    static class Config {
    }
}
