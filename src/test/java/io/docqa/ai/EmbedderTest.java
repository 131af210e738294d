package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class EmbedderTest {

    private static final Embedder embedder = new Embedder(EmbeddingModel.ALL_MINILM_L6_V2);

    @BeforeAll
    static void load() {
        embedder.warmUp().as(StepVerifier::create).verifyComplete();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void vectorsHave384DimensionsAndUnitLength() {
        assertThat(embedder.dimension()).isEqualTo(384);
        assertThat(embedder.modelName()).isEqualTo("all-minilm-l6-v2");
        embedder.embed("How do I reset my password?")
                .as(StepVerifier::create)
                .assertNext(vector -> {
                    assertThat(vector).hasSize(384);
                    assertThat(norm(vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
                })
                .verifyComplete();
    }

    @Test
    void similarTextsAreCloserThanUnrelatedOnes() {
        embedder.embedAll(List.of(
                        "The cat sat on the mat and purred.",
                        "A kitten was lying on the rug, purring.",
                        "Quarterly revenue grew by twelve percent in Europe."))
                .as(StepVerifier::create)
                .assertNext(vectors -> {
                    double similar = cosine(vectors.get(0), vectors.get(1));
                    double unrelated = cosine(vectors.get(0), vectors.get(2));
                    assertThat(similar).isGreaterThan(unrelated + 0.3);
                })
                .verifyComplete();
    }

    @Test
    void embedAllKeepsTheOrderOfTheTexts() {
        List<String> texts = IntStream.range(0, 12).mapToObj(i -> "Sentence number " + i + " about topic " + (i * 7)).toList();
        Mono.zip(Flux.fromIterable(texts).concatMap(embedder::embed).collectList(), embedder.embedAll(texts))
                .as(StepVerifier::create)
                .assertNext(both -> {
                    List<float[]> one = both.getT1();
                    List<float[]> all = both.getT2();
                    assertThat(all).hasSize(texts.size());
                    for (int i = 0; i < texts.size(); i++) {
                        assertThat(cosine(all.get(i), one.get(i))).isGreaterThan(0.9999);
                    }
                })
                .verifyComplete();
    }

    @Test
    void textsThatFitTodaysWindowKeepTheVectorsLangChain4jsStockModelGivesThem() {
        // LangChain4j's model truncates at 128 tokens: vectors already in Chroma stay valid for every text that fits
        AllMiniLmL6V2EmbeddingModel stock = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
        List<String> texts = List.of(
                "Retrieval augmented generation grounds answers in the user's own documents.",
                "How do I reset my password?",
                "refund",
                "Caf\u00e9 \u00fcber na\u00efve fa\u00e7ade, \u00c5ngstr\u00f6m and \u0141\u00f3d\u017a; \u65e5\u672c\u8a9e\u306e\u6587\u66f8; emoji \ud83d\ude00 and \u00a7 12(b).",
                "def square(x):\n    return x ** 2  # see PEP 8, \u20ac1,299.00 on 2024-03-05\tat 10:30",
                "antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
                "**Bold** [link][] <a name=\"opts\"></a> &nbsp; . . . . . . . . 26",
                """
                The office moved to the new building on the east side of the river last spring. Most teams now sit on \
                the third floor, where the windows face the park and the afternoon light is warm. The kitchen was \
                rebuilt with two coffee machines, a long table for lunch and a board where people leave notes about \
                lost umbrellas. Meeting rooms carry the names of mountains.""");
        Flux.fromIterable(texts).concatMap(embedder::embed).collectList()
                .as(StepVerifier::create)
                .assertNext(vectors -> {
                    for (int i = 0; i < texts.size(); i++) {
                        float[] expected = stock.embed(texts.get(i)).content().vector();
                        assertThat(1 - cosine(vectors.get(i), expected)).as(texts.get(i)).isLessThanOrEqualTo(1e-6);
                    }
                })
                .verifyComplete();
    }

    @Test
    void runsOnTheEmbedScheduler() {
        embedder.embed("where am I running?")
                .map(vector -> Thread.currentThread().getName())
                .as(StepVerifier::create)
                .assertNext(thread -> assertThat(thread).startsWith("embed-"))
                .verifyComplete();
    }

    @Test
    void refusesTextsBeyondTheQueueInsteadOfQueueingForever() {
        Embedder small = new Embedder(1, 1, 256);
        try {
            small.warmUp().as(StepVerifier::create).verifyComplete();
            Flux.range(0, 8)
                    .flatMap(i -> small.embed("question " + i).map(vector -> "ok")
                            .onErrorResume(EmbedderBusyException.class, busy -> Mono.just("busy")))
                    .collectList()
                    .as(StepVerifier::create)
                    .assertNext(outcomes -> {
                        // how many get in depends on how fast the first ones finish; the rest are refused at once
                        assertThat(outcomes).hasSize(8).contains("ok", "busy");
                    })
                    .verifyComplete();
            // a batch never overflows the queue by itself: it keeps at most one text per thread in flight
            small.embedAll(IntStream.range(0, 20).mapToObj(i -> "chunk " + i).toList())
                    .as(StepVerifier::create)
                    .assertNext(vectors -> assertThat(vectors).hasSize(20))
                    .verifyComplete();
        } finally {
            small.close();
        }
    }

    @Test
    void blankTextIsRejected() {
        embedder.embed("   ")
                .as(StepVerifier::create)
                .verifyError(IllegalArgumentException.class);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
