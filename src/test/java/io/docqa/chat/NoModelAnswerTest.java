package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import io.docqa.ai.LlmException;

class NoModelAnswerTest {

    @ParameterizedTest
    @EnumSource(value = LlmException.Kind.class, names = {"UNAVAILABLE", "MODEL_NOT_FOUND"})
    void appliesWhenNoModelIsReachable(LlmException.Kind kind) {
        assertThat(NoModelAnswer.applies(new LlmException(kind, "away"))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = LlmException.Kind.class, names = {"TIMEOUT", "FAILED"})
    void doesNotApplyWhenAReachableModelFails(LlmException.Kind kind) {
        assertThat(NoModelAnswer.applies(new LlmException(kind, "broken"))).isFalse();
    }

    @Test
    void quotesEachPassageUnderItsNumberFileAndSection() {
        List<Source> sources = List.of(
                new Source(UUID.randomUUID(), "handbook.md", 3, "Refunds > Digital goods", 0.9, "Digital goods are not refunded."),
                new Source(UUID.randomUUID(), "notes.txt", 0, null, 0.7, "Ask the shop first."));

        assertThat(NoModelAnswer.text(sources)).isEqualTo(NoModelAnswer.NOTICE
                + "\n\n[1] handbook.md (Refunds > Digital goods)\nDigital goods are not refunded."
                + "\n\n[2] notes.txt\nAsk the shop first.");
    }
}
