package io.docqa.ai;

import static io.docqa.ai.EmbedderTest.cosine;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The embedder runs the windows of several texts together, padded to the longest, and pools each over its own tokens:
 * every vector is still the one LangChain4j's encoder gives the text run alone (1 − cos ≤ 1e-6), on real prose from a
 * question's length to 510 tokens; the int8 model likewise, one text per run. Texts longer than a window (LangChain4j
 * reads at most 512 tokens) keep the vectors of the embedder as it was, one window per run.
 */
class SameVectorsAsLangChain4jTest {

    private static final List<Integer> LENGTHS = List.of(30, 60, 120, 300, 500, 800, 800, 800, 1200, 1600, 2200, 4000, 7000);

    private static List<String> texts;
    private static int[] tokens;

    @BeforeAll
    static void prose() throws IOException {
        String words;
        try (InputStream html = SameVectorsAsLangChain4jTest.class.getResourceAsStream("/documents/sphinx-json.html")) {
            words = Jsoup.parse(new String(html.readAllBytes(), StandardCharsets.UTF_8)).body().text();
        }
        texts = new ArrayList<>();
        int from = 0;
        for (int length : LENGTHS) {
            int to = words.indexOf(' ', from + length);
            texts.add(words.substring(from, to));
            from = (from + 3 * length + 1) % (words.length() - 8000);
        }
        try (InputStream json = MiniLmModel.resource("all-minilm-l6-v2-tokenizer.json");
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("truncation", "false"))) {
            tokens = texts.stream().mapToInt(text -> tokenizer.encode(text).getIds().length).toArray();
        }
    }

    @Test
    void theProseRangesFromAQuestionToTextsOfSeveralWindows() {
        assertThat(tokens[0]).isLessThan(20);
        assertThat(IntStream.of(tokens).filter(n -> n > 128 && n <= 256).count()).isGreaterThan(2);
        assertThat(IntStream.of(tokens).filter(n -> n > 256 && n <= 512).count()).isGreaterThan(1);
        assertThat(IntStream.of(tokens).filter(n -> n > 3 * 256).count()).isGreaterThan(1);
    }

    @Test
    void fp32RunTogetherGivesEachTextTheVectorLangChain4jGivesItAlone() throws Exception {
        assertLangChain4jsVectors(EmbeddingModel.ALL_MINILM_L6_V2);
    }

    @Test
    void int8GivesEachTextTheVectorLangChain4jGivesIt() throws Exception {
        assertLangChain4jsVectors(EmbeddingModel.ALL_MINILM_L6_V2_Q);
    }

    @Test
    void textsOfSeveralWindowsKeepTheirVectorsOfOneWindowPerRun() {
        try (Embedder together = new Embedder(new EmbeddingProperties(2, 128, 256,
                        EmbeddingModel.ALL_MINILM_L6_V2, 8, 4096, 2, true));
                Embedder oneWindowPerRun = new Embedder(new EmbeddingProperties(2, 128, 256,
                        EmbeddingModel.ALL_MINILM_L6_V2, 1, 512, 1, false))) {
            List<float[]> expected = oneWindowPerRun.embedAll(texts).block();
            List<float[]> batched = together.embedAll(texts).block();
            List<float[]> questions = Flux.fromIterable(texts).flatMapSequential(together::embed).collectList().block();
            for (int i = 0; i < texts.size(); i++) {
                assertThat(1 - cosine(batched.get(i), expected.get(i))).as(texts.get(i)).isLessThanOrEqualTo(1e-6);
                assertThat(1 - cosine(questions.get(i), expected.get(i))).as(texts.get(i)).isLessThanOrEqualTo(1e-6);
            }
        }
    }

    /** In windows of 512 tokens, so that each text of up to 510 is one window for both; texts of unlike lengths share runs. */
    private static void assertLangChain4jsVectors(EmbeddingModel model) throws Exception {
        LangChain4jEncoder reference = LangChain4jEncoder.upTo512(model);
        List<String> oneWindow = IntStream.range(0, texts.size()).filter(i -> tokens[i] <= 512).mapToObj(texts::get).toList();
        assertThat(oneWindow).hasSizeGreaterThan(texts.size() / 2);
        try (Embedder embedder = new Embedder(new EmbeddingProperties(2, 64, 512, model, 8, 4096, 2, true))) {
            List<float[]> batched = embedder.embedAll(oneWindow).block();
            List<float[]> questions = Flux.fromIterable(oneWindow).flatMapSequential(embedder::embed).collectList().block();
            for (int i = 0; i < oneWindow.size(); i++) {
                float[] expected = reference.vector(oneWindow.get(i));
                assertThat(1 - cosine(batched.get(i), expected)).as(oneWindow.get(i)).isLessThanOrEqualTo(1e-6);
                assertThat(1 - cosine(questions.get(i), expected)).as(oneWindow.get(i)).isLessThanOrEqualTo(1e-6);
            }
        }
    }
}
