package io.docqa.ai;

import static io.docqa.ai.EmbedderWindowsBenchmark.CORE_PEAK_GFLOPS;
import static io.docqa.ai.EmbedderWindowsBenchmark.PEAK_GFLOPS;
import static io.docqa.ai.EmbedderWindowsBenchmark.median;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * The fp32 embedder's chunk throughput in other set-ups of ONNX Runtime than the service's, on two shapes of chunk:
 * ~800 characters of real prose (about 254 tokens, a full window) and the shape of issue 15 (about 118 tokens, an
 * 800-character chunk cut at 128 tokens), fed as uploads feed the embedder. Set-ups: windows per run (one text a run,
 * the service's 256 tokens, 512, 1024); one run on two intra-op threads instead of one run per core (spinning or
 * not); and session options (graph optimization level, memory pattern, arena, execution mode). Every figure is per
 * CPU-second of this process as well as per second, taken once a round in an order rotated each round; the ratios to
 * the service's set-up are taken within each round. LangChain4j's encoder ({@code [1, n]} runs of up to 512 tokens, a
 * text per core) is the old path. Also the padding of the service's runs (padded tokens over real
 * ones). Not a test. Run with
 * {@code bash .ci/bench.sh io.docqa.ai.EmbedderSetUpBenchmark [--chunks 200 --rounds 5 --short-chars 370 --set-ups "one text;2 intra-op;LangChain4j"]: the set-ups whose names start so}.
 */
public final class EmbedderSetUpBenchmark {

    private static final String TODAY = "service (1 thread a run, 256 tokens)";
    private static final String LANGCHAIN4J = "LangChain4j's encoder, a text per core";
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private record SetUp(int threads, int chunkThreads, int windowsPerRun, int tokensPerRun, SessionTuning tuning) {
    }

    /** Seconds to embed the chunks. */
    private interface Timed {
        double seconds(List<String> chunks) throws Exception;
    }

    private record Shape(String name, List<String> chunks, double gflopPerChunk) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = EmbedderWindowsBenchmark.options(args);
        int chunkCount = Integer.parseInt(options.getOrDefault("chunks", "200"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        Path corpus = options.containsKey("corpus") ? Path.of(options.get("corpus")) : EmbedderWindowsBenchmark.defaultCorpus();
        List<Shape> shapes = new ArrayList<>();
        for (int characters : List.of(800, Integer.parseInt(options.getOrDefault("short-chars", "370")))) {
            List<String> chunks = EmbedderWindowsBenchmark.chunks(corpus, chunkCount, characters);
            System.out.printf("%d chunks of up to %d characters of %s: ", chunks.size(), characters, corpus);
            shapes.add(new Shape(characters + " characters", chunks, EmbedderWindowsBenchmark.gflopPerChunk(chunks)));
        }
        Map<String, SetUp> setUps = setUps();
        List<String> wanted = options.containsKey("set-ups") ? List.of(options.get("set-ups").split(";")) : List.of("");
        setUps.keySet().removeIf(name -> !name.equals(TODAY) && wanted.stream().noneMatch(name::startsWith));
        for (Shape shape : shapes) {
            System.out.printf("%s: padded tokens of the service's runs / real tokens %.3f%n", shape.name(),
                    paddedOverReal(shape.chunks()));
        }
        Map<String, Embedder> embedders = new LinkedHashMap<>();
        for (Map.Entry<String, SetUp> setUp : setUps.entrySet()) {
            embedders.put(setUp.getKey(), embedder(setUp.getValue()));
        }
        Map<String, Timed> secondsFor = new LinkedHashMap<>();
        embedders.forEach((name, embedder) -> secondsFor.put(name, chunks -> EmbedderWindowsBenchmark.uploads(embedder, chunks)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        if (wanted.stream().anyMatch(LANGCHAIN4J::startsWith)) {
            LangChain4jEncoder encoder = LangChain4jEncoder.upTo512(EmbeddingModel.ALL_MINILM_L6_V2);
            secondsFor.put(LANGCHAIN4J, chunks -> EmbedderWindowsBenchmark.run(pool, 2, chunks, encoder::vector));
        }
        List<String> names = new ArrayList<>(secondsFor.keySet());
        Map<String, List<Double>> values = new LinkedHashMap<>();
        try {
            for (int round = 0; round < rounds + 1; round++) {
                System.out.printf(round == 0 ? "warm-up round:%n" : "round %d:%n", round);
                for (Shape shape : shapes) {
                    Map<String, Double> perCpuSecond = new LinkedHashMap<>();
                    Map<String, Double> perSecond = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        String name = names.get((i + round) % names.size());
                        long cpuBefore = CPU.getProcessCpuTime();
                        double seconds = secondsFor.get(name).seconds(shape.chunks());
                        double cpuSeconds = (CPU.getProcessCpuTime() - cpuBefore) / 1e9;
                        perCpuSecond.put(name, shape.chunks().size() / cpuSeconds);
                        perSecond.put(name, shape.chunks().size() / seconds);
                        System.out.printf("  %-14s %-44s %7.1f chunks/s, %6.1f per CPU-s = %.3f of a core's peak  (load %s)%n",
                                shape.name(), name, perSecond.get(name), perCpuSecond.get(name),
                                perCpuSecond.get(name) * shape.gflopPerChunk() / CORE_PEAK_GFLOPS, EmbedderWindowsBenchmark.load());
                    }
                    if (round > 0) {
                        for (String name : names) {
                            String key = shape.name() + " | " + name;
                            values.computeIfAbsent(key + " | per CPU-s", k -> new ArrayList<>()).add(perCpuSecond.get(name));
                            values.computeIfAbsent(key + " | per s", k -> new ArrayList<>()).add(perSecond.get(name));
                            values.computeIfAbsent(key + " | per CPU-s / service", k -> new ArrayList<>())
                                    .add(perCpuSecond.get(name) / perCpuSecond.get(TODAY));
                            values.computeIfAbsent(key + " | per s / service", k -> new ArrayList<>())
                                    .add(perSecond.get(name) / perSecond.get(TODAY));
                        }
                    }
                }
            }
        }
        finally {
            pool.shutdown();
            embedders.values().forEach(Embedder::close);
        }
        System.out.println("medians over the rounds:");
        for (Shape shape : shapes) {
            for (String name : names) {
                String key = shape.name() + " | " + name;
                double perCpuSecond = median(values.get(key + " | per CPU-s"));
                double perSecond = median(values.get(key + " | per s"));
                System.out.printf("  %-14s %-44s per CPU-s %6.1f (%.3f of a core's peak) %.3fx %s | per s %6.1f (%.3f of the ceiling) %.3fx%n",
                        shape.name(), name, perCpuSecond, perCpuSecond * shape.gflopPerChunk() / CORE_PEAK_GFLOPS,
                        median(values.get(key + " | per CPU-s / service")),
                        values.get(key + " | per CPU-s / service").stream().map(r -> String.format("%.2f", r)).toList(),
                        perSecond, perSecond * shape.gflopPerChunk() / PEAK_GFLOPS, median(values.get(key + " | per s / service")));
            }
        }
    }

    private static Map<String, SetUp> setUps() {
        SessionTuning service = SessionTuning.DEFAULT;
        Map<String, SetUp> setUps = new LinkedHashMap<>();
        setUps.put(TODAY, new SetUp(2, 1, 8, 256, service));
        setUps.put("one text a run", new SetUp(2, 1, 1, 1024, service));
        setUps.put("512 tokens a run", new SetUp(2, 1, 8, 512, service));
        setUps.put("1024 tokens a run", new SetUp(2, 1, 8, 1024, service));
        setUps.put("2 intra-op threads, one run at a time", new SetUp(1, 2, 8, 256, service));
        setUps.put("2 intra-op threads, spinning", new SetUp(1, 2, 8, 256,
                options -> options.addConfigEntry("session.intra_op.allow_spinning", "1")));
        setUps.put("denormals as zero", new SetUp(2, 1, 8, 256,
                service.and(options -> options.addConfigEntry("session.set_denormal_as_zero", "1"))));
        setUps.put("optimization basic", new SetUp(2, 1, 8, 256,
                service.and(options -> options.setOptimizationLevel(OptLevel.BASIC_OPT))));
        setUps.put("optimization extended", new SetUp(2, 1, 8, 256,
                service.and(options -> options.setOptimizationLevel(OptLevel.EXTENDED_OPT))));
        setUps.put("no memory pattern", new SetUp(2, 1, 8, 256,
                service.and(options -> options.setMemoryPatternOptimization(false))));
        setUps.put("no arena", new SetUp(2, 1, 8, 256, service.and(options -> options.setCPUArenaAllocator(false))));
        setUps.put("parallel execution", new SetUp(2, 1, 8, 256,
                service.and(options -> options.setExecutionMode(ExecutionMode.PARALLEL))));
        return setUps;
    }

    private static Embedder embedder(SetUp setUp) {
        Embedder embedder = new Embedder(setUp.threads(), 2048, () -> MiniLmModel.load(EmbeddingModel.ALL_MINILM_L6_V2,
                256, setUp.windowsPerRun(), setUp.tokensPerRun(), setUp.chunkThreads(), setUp.chunkThreads(), setUp.tuning()),
                Duration.ofSeconds(30));
        embedder.warmUp().block();
        return embedder;
    }

    /**
     * Padded tokens over real ones in the service's runs: calls of 64 chunks, tasks of 8 by characters, within a task
     * windows longest first, a run up to 8 windows and 256 padded tokens (a window alone whatever its length).
     */
    private static double paddedOverReal(List<String> chunks) throws Exception {
        long padded = 0;
        long real = 0;
        try (InputStream json = MiniLmModel.resource("all-minilm-l6-v2-tokenizer.json");
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("truncation", "false", "padding", "false"))) {
            for (int call = 0; call < chunks.size(); call += 64) {
                List<String> byLength = new ArrayList<>(chunks.subList(call, Math.min(call + 64, chunks.size())));
                byLength.sort(Comparator.comparingInt(String::length).reversed());
                for (int task = 0; task < byLength.size(); task += 8) {
                    List<Integer> windows = new ArrayList<>();
                    for (String chunk : byLength.subList(task, Math.min(task + 8, byLength.size()))) {
                        Encoding encoding = tokenizer.encode(chunk);
                        TokenWindows.of(encoding.getIds(), encoding.getTokens(), 256).forEach(w -> windows.add(w.ids().length));
                    }
                    Integer[] longestFirst = windows.toArray(Integer[]::new);
                    Arrays.sort(longestFirst, Comparator.reverseOrder());
                    for (int from = 0, to; from < longestFirst.length; from = to) {
                        to = from + 1;
                        while (to < longestFirst.length && to - from < 8 && (to - from + 1) * longestFirst[from] <= 256) {
                            to++;
                        }
                        padded += (long) (to - from) * longestFirst[from];
                        for (int i = from; i < to; i++) {
                            real += longestFirst[i];
                        }
                    }
                }
            }
        }
        return padded / (double) real;
    }
}
