package io.docqa.ai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * What embedding every token costs: chunks/s of the embedder as it was (LangChain4j's encoder, cut at 128 tokens)
 * against windows of 128 and of 256 tokens, on ~800-character chunks of real prose (the Python documentation's
 * sources from Debian's {@code python3-doc}, else the licence texts in {@code /usr/share/common-licenses}). One thread
 * per core, one text per thread at a time, as {@link Embedder} runs them; the variants take turns, in a rotating order,
 * so that the drift of a shared machine's speed falls on all of them. Not a test. Run with
 * {@code bash .ci/bench.sh io.docqa.ai.EmbedderWindowsBenchmark [--chunks 400 --rounds 5 --corpus DIR]}.
 */
public final class EmbedderWindowsBenchmark {

    private static final List<Path> CORPORA = List.of(
            Path.of("/usr/share/doc/python3-doc/html/_sources"), Path.of("/usr/share/common-licenses"));

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int chunkCount = Integer.parseInt(options.getOrDefault("chunks", "400"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        int threads = Runtime.getRuntime().availableProcessors();
        Path corpus = options.containsKey("corpus") ? Path.of(options.get("corpus"))
                : CORPORA.stream().filter(Files::isDirectory).findFirst().orElseThrow();
        List<String> chunks = chunks(corpus, chunkCount);
        System.out.printf("%d chunks of %s, %.0f characters on average; %d threads%n", chunks.size(), corpus,
                chunks.stream().mapToInt(String::length).average().orElseThrow(), threads);
        printTokenCounts(chunks);

        Map<String, Function<String, float[]>> variants = new LinkedHashMap<>();
        variants.put("cut at 128 (before)", TruncatingAt128.load()::vector);
        variants.put("windows of 128", MiniLmModel.load(128)::vector);
        variants.put("windows of 256", MiniLmModel.load(256)::vector);
        variants.put("int8, windows of 256", MiniLmModel.load(EmbeddingModel.ALL_MINILM_L6_V2_Q, 256)::vector);
        List<String> names = new ArrayList<>(variants.keySet());
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        names.forEach(name -> ratios.put(name, new ArrayList<>()));

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (String name : names) {
                run(pool, threads, chunks.subList(0, Math.min(100, chunks.size())), variants.get(name)); // warm-up
            }
            for (int round = 0; round < rounds; round++) {
                Map<String, Double> perSecond = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get((i + round) % names.size());
                    perSecond.put(name, chunks.size() / run(pool, threads, chunks, variants.get(name)));
                }
                double before = perSecond.get(names.get(0));
                StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
                for (String name : names) {
                    ratios.get(name).add(perSecond.get(name) / before);
                    line.append(String.format("  %s %.1f chunks/s (%.3fx)", name, perSecond.get(name), perSecond.get(name) / before));
                }
                System.out.println(line);
            }
        }
        finally {
            pool.shutdown();
        }
        System.out.println("median throughput relative to the embedder cutting at 128 tokens:");
        ratios.forEach((name, values) -> System.out.printf("  %-22s %.3fx%n", name, median(values)));
    }

    /** Seconds for all texts, {@code threads} at a time. */
    private static double run(ExecutorService pool, int threads, List<String> texts, Function<String, float[]> model)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < texts.size(); i = next.getAndIncrement()) {
                    model.apply(texts.get(i));
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** Paragraphs packed into chunks of at most ~800 characters, cut at spaces; chunks under 600 characters are left out. */
    private static List<String> chunks(Path corpus, int count) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        List<String> chunks = new ArrayList<>();
        for (Path file : files) {
            StringBuilder chunk = new StringBuilder();
            for (String word : read(file).split("\\s+")) {
                if (chunk.length() + word.length() + 1 > 800) {
                    chunks.add(chunk.toString());
                    chunk.setLength(0);
                }
                chunk.append(chunk.isEmpty() ? "" : " ").append(word);
            }
            chunks.add(chunk.toString());
        }
        List<String> full = chunks.stream().filter(chunk -> chunk.length() >= 600).toList();
        // spread over the whole corpus, not the first few files
        List<String> picked = new ArrayList<>();
        double step = Math.max(1.0, full.size() / (double) count);
        for (double i = 0; i < full.size() && picked.size() < count; i += step) {
            picked.add(full.get((int) i));
        }
        return picked;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void printTokenCounts(List<String> chunks) throws IOException {
        try (InputStream json = MiniLmModel.resource("all-minilm-l6-v2-tokenizer.json");
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("truncation", "false"))) {
            int[] tokens = chunks.stream().mapToInt(chunk -> tokenizer.encode(chunk).getIds().length).sorted().toArray();
            System.out.printf("tokens per chunk ([CLS] and [SEP] included): median %d, mean %.0f; over 128: %.0f %%, over 256: %.0f %%%n",
                    tokens[tokens.length / 2], Arrays.stream(tokens).average().orElseThrow(),
                    100.0 * Arrays.stream(tokens).filter(n -> n > 128).count() / tokens.length,
                    100.0 * Arrays.stream(tokens).filter(n -> n > 256).count() / tokens.length);
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    /** The embedder before: LangChain4j's encoder with the same one-thread session, cut at the tokenizer's 128 tokens. */
    private static final class TruncatingAt128 extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        private TruncatingAt128(OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        static TruncatingAt128 load() throws IOException, OrtException {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (InputStream tokenizer = MiniLmModel.resource("all-minilm-l6-v2-tokenizer.json")) {
                return new TruncatingAt128(new OnnxBertBiEncoder(environment, MiniLmModel.oneThreadSession(environment),
                        tokenizer, PoolingMode.MEAN));
            }
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
}
