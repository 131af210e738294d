package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RetrievalPropertiesTest {

    /** Binds {@code docqa.retrieval} from the given properties (short names, e.g. "rrf-k"), defaults for the rest. */
    static RetrievalProperties retrievalProperties(Map<String, String> values) {
        Map<String, String> prefixed = new HashMap<>();
        values.forEach((name, value) -> prefixed.put("docqa.retrieval." + name, value));
        return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("docqa.retrieval", RetrievalProperties.class);
    }

    @Test
    void defaultsAreHybridWithTheRelevanceDecisionOn() {
        RetrievalProperties properties = retrievalProperties(Map.of());

        assertThat(properties.mode()).isEqualTo(RetrievalProperties.Mode.HYBRID);
        assertThat(properties.candidates()).isEqualTo(20);
        assertThat(properties.rrfK()).isEqualTo(1);
        assertThat(properties.vectorWeight()).isEqualTo(1.0);
        assertThat(properties.keywordWeight()).isEqualTo(1.25);
        assertThat(properties.relevance().enabled()).isTrue();
        assertThat(properties.relevance().headingCoverage()).isEqualTo(0.6);
    }

    @Test
    void bindsKebabCaseAndLowerCaseNames() {
        RetrievalProperties properties = retrievalProperties(Map.of("mode", "keyword", "follow-up-weight", "0.25",
                "relevance.vector-alone", "0.9", "relevance.enabled", "false"));

        assertThat(properties.mode()).isEqualTo(RetrievalProperties.Mode.KEYWORD);
        assertThat(properties.followUpWeight()).isEqualTo(0.25);
        assertThat(properties.relevance().vectorAlone()).isEqualTo(0.9);
        assertThat(properties.relevance().enabled()).isFalse();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> retrievalProperties(Map.of("candidates", "0")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("candidates");
        assertThatThrownBy(() -> retrievalProperties(Map.of("relevance.keyword-coverage", "2")))
                .rootCause().hasMessageContaining("relevance");
        assertThatThrownBy(() -> retrievalProperties(Map.of("relevance.heading-coverage", "1.5")))
                .rootCause().hasMessageContaining("relevance");
        assertThatThrownBy(() -> retrievalProperties(Map.of("vector-weight", "0", "keyword-weight", "0")))
                .rootCause().hasMessageContaining("weight");
    }
}
