package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The configuration as the application binds it, from defaults and from environment variables. */
class OllamaPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Wiring.class);

    @EnableConfigurationProperties(OllamaProperties.class)
    static class Wiring {
    }

    @Test
    void hasTheDocumentedDefaults() {
        context.run(app -> assertThat(app.getBean(OllamaProperties.class)).isEqualTo(new OllamaProperties(
                URI.create("http://localhost:11434"), "llama3.2:3b", Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofMinutes(5), 1024, 0.2, Duration.ofSeconds(2), true)));
    }

    @Test
    void bindsTheServerAndModelFromEnvironmentVariables() {
        context.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(OllamaChat.class)
                .withInitializer(app -> app.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("env", Map.of(
                                "DOCQA_OLLAMA_BASE_URL", "http://ollama.internal:11434",
                                "DOCQA_OLLAMA_MODEL", "qwen2.5:0.5b",
                                "DOCQA_OLLAMA_STALL_TIMEOUT", "45s",
                                "DOCQA_OLLAMA_REQUIRED", "false"))))
                .run(app -> {
                    OllamaProperties properties = app.getBean(OllamaProperties.class);
                    assertThat(properties.baseUrl()).isEqualTo(URI.create("http://ollama.internal:11434"));
                    assertThat(properties.stallTimeout()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(app.getBean(OllamaChat.class).model()).isEqualTo("qwen2.5:0.5b");
                    assertThat(app.getBean(OllamaChat.class).required()).isFalse();
                });
    }

    @Test
    void refusesTimeoutsThatAreNotPositive() {
        context.withPropertyValues("docqa.ollama.stall-timeout=0s")
                .run(app -> assertThat(app).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("docqa.ollama.stall-timeout must be a positive duration"));
    }
}
