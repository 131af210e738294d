package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@code docqa.embedding.model=all-minilm-l6-v2-q}: the int8 model, next to the fp32 one it approximates. */
class Int8EmbedderTest {

    private static final List<String> TEXTS = List.of(
            "To reset your password, open Settings, choose Security and click 'Reset password'.",
            "Our office in Lisbon is open from 9 am to 6 pm on weekdays.",
            "Invoices are sent on the first business day of every month.",
            "The functools.lru_cache decorator wraps a function with a memoizing callable that saves up to maxsize calls.");

    private static final Embedder int8 = new Embedder(2, 64, 256, EmbeddingModel.ALL_MINILM_L6_V2_Q);
    private static final Embedder fp32 = new Embedder(2, 64, 256, EmbeddingModel.ALL_MINILM_L6_V2);

    @AfterAll
    static void close() {
        int8.close();
        fp32.close();
    }

    @Test
    void itsVectorsAreNamedApartAndCloseToTheFp32Ones() {
        assertThat(int8.modelName()).isEqualTo("all-minilm-l6-v2-q").isNotEqualTo(fp32.modelName());
        Mono.zip(int8.embedAll(TEXTS), fp32.embedAll(TEXTS))
                .as(StepVerifier::create)
                .assertNext(both -> {
                    for (int i = 0; i < TEXTS.size(); i++) {
                        float[] quantized = both.getT1().get(i);
                        assertThat(quantized).hasSize(384);
                        assertThat(dot(quantized, quantized)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
                        assertThat(dot(quantized, both.getT2().get(i))).as(TEXTS.get(i)).isGreaterThan(0.95);
                    }
                })
                .verifyComplete();
    }

    @Test
    void aTextHasOneVectorWhateverItIsEmbeddedWith() {
        // the quantizer scales per run: were texts run together, a vector would depend on its neighbours
        Mono.zip(int8.embed(TEXTS.get(3)), int8.embedAll(TEXTS))
                .as(StepVerifier::create)
                .assertNext(both -> assertThat(both.getT1()).containsExactly(both.getT2().get(3)))
                .verifyComplete();
    }

    @Test
    void findsTheRelevantPassage() {
        Mono.zip(int8.embed("How can I change my password?"), int8.embedAll(TEXTS))
                .as(StepVerifier::create)
                .assertNext(both -> {
                    double[] scores = both.getT2().stream().mapToDouble(chunk -> dot(both.getT1(), chunk)).toArray();
                    assertThat(scores[0]).isGreaterThan(scores[1] + 0.1).isGreaterThan(scores[2] + 0.1).isGreaterThan(scores[3] + 0.1);
                })
                .verifyComplete();
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
