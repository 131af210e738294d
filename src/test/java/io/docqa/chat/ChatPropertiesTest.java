package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ChatPropertiesTest {

    /** Binds {@code docqa.chat} from the given properties (short names, e.g. "max-context-chars"), defaults for the rest. */
    static ChatProperties chatProperties(Map<String, String> values) {
        Map<String, String> prefixed = new java.util.HashMap<>();
        values.forEach((name, value) -> prefixed.put("docqa.chat." + name, value));
        return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("docqa.chat", ChatProperties.class);
    }

    @Test
    void defaultsMatchTheIssue() {
        ChatProperties properties = chatProperties(Map.of());

        assertThat(properties).isEqualTo(new ChatProperties(4, 100, Duration.ofSeconds(5), 4000, 4, 20, 0.6, 12000, 1500,
                100, Duration.ofSeconds(15)));
    }

    @Test
    void bindsKebabCaseNames() {
        ChatProperties properties = chatProperties(Map.of("max-concurrent-generations", "2", "queue-retry-after", "30s",
                "default-min-score", "0.5"));

        assertThat(properties.maxConcurrentGenerations()).isEqualTo(2);
        assertThat(properties.queueRetryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.defaultMinScore()).isEqualTo(0.5);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> chatProperties(Map.of("max-concurrent-generations", "0")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("max-concurrent-generations");
        assertThatThrownBy(() -> chatProperties(Map.of("default-top-k", "30")))
                .rootCause().hasMessageContaining("default-top-k");
    }
}
