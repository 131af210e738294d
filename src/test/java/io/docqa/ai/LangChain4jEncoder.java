package io.docqa.ai;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * LangChain4j's own encoder ({@code OnnxBertBiEncoder}: one {@code [1, n]} run per window of at most 510 tokens, mean
 * pooling, windows averaged by their tokens, normalised) on a one-thread session of the model: the reference the
 * embedder's vectors are held to, and the old path in {@link EmbedderWindowsBenchmark}. {@link #upTo512} reads up to
 * 512 tokens of a text, not the 128 of the model's {@code tokenizer.json} (DJL's tokenizer cuts at 512 whatever that
 * file says, so LangChain4j's own windows never come into play).
 */
final class LangChain4jEncoder extends AbstractInProcessEmbeddingModel {

    private final OnnxBertBiEncoder encoder;

    private LangChain4jEncoder(OnnxBertBiEncoder encoder) {
        super(Runnable::run);
        this.encoder = encoder;
    }

    static LangChain4jEncoder upTo512(EmbeddingModel model) throws IOException, OrtException {
        String json;
        try (InputStream tokenizer = MiniLmModel.resource(model.tokenizerResource())) {
            json = new String(tokenizer.readAllBytes(), StandardCharsets.UTF_8)
                    .replaceFirst("\"max_length\": 128", "\"max_length\": 512");
        }
        return load(model, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static LangChain4jEncoder load(EmbeddingModel model, InputStream tokenizer) throws IOException, OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        return new LangChain4jEncoder(new OnnxBertBiEncoder(environment,
                MiniLmModel.sessions(environment, model, List.of(1)).get(0), tokenizer, PoolingMode.MEAN));
    }

    float[] vector(String text) {
        return embed(text).content().vector();
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return MiniLmModel.DIMENSION;
    }
}
