package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IndexGenerationTest {

    @Test
    void theFirstFormatIsNamedAfterTheModelAloneSoThatCollectionsFromBeforeGenerationsKeepTheirNames() {
        assertThat(new IndexGeneration(EmbeddingModel.ALL_MINILM_L6_V2, 1).id()).isEqualTo("all-minilm-l6-v2");
        assertThat(new IndexGeneration(EmbeddingModel.ALL_MINILM_L6_V2_Q, 1).id()).isEqualTo("all-minilm-l6-v2-q");
    }

    @Test
    void aLaterFormatIsANewGenerationOfTheSameModel() {
        IndexGeneration second = new IndexGeneration(EmbeddingModel.ALL_MINILM_L6_V2_Q, 2);
        assertThat(second.id()).isEqualTo("all-minilm-l6-v2-q-f2");
        assertThat(second).isNotEqualTo(new IndexGeneration(EmbeddingModel.ALL_MINILM_L6_V2_Q, 1));
    }

    @Test
    void storedNamesReadBackAsTheSameGeneration() {
        for (EmbeddingModel model : EmbeddingModel.values()) {
            for (int format : new int[] { 1, 2, 17 }) {
                IndexGeneration generation = new IndexGeneration(model, format);
                assertThat(IndexGeneration.parse(generation.id())).contains(generation);
            }
        }
    }

    @Test
    void aNameOfAModelThisCodeDoesNotKnowIsNoGeneration() {
        assertThat(IndexGeneration.parse("all-minilm-l12-v2")).isEmpty();
        assertThat(IndexGeneration.parse("all-minilm-l12-v2-f3")).isEmpty();
        assertThat(IndexGeneration.parse("")).isEmpty();
        assertThatThrownBy(() -> new IndexGeneration(EmbeddingModel.ALL_MINILM_L6_V2, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
