package io.docqa.ai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The embedder's speed against the old paths and the machine's ceiling, on ~800-character chunks of real prose (the
 * Python documentation's sources from Debian's {@code python3-doc}, else the licence texts in
 * {@code /usr/share/common-licenses}) and on short questions:
 * <ul>
 * <li>chunks/s of LangChain4j's encoder (one {@code [1, n]} run per text, one text per core), of the embedder as it
 * was (one text per task: {@code batch-size 1}), and of the embedder now (tasks of 8 texts of like length, their
 * windows run together up to 512 tokens a run; also up to 1024, and 8 windows whatever their length), fp32 and int8
 * (which is never batched), all fed as uploads feed them (64 chunks per call, two
 * calls under way); with the share of the FLOP ceiling each reaches: the useful FLOP of the chunks' token windows
 * against {@value #PEAK_GFLOPS} GFLOP/s, what 2 cores of the issue's machine did at most;</li>
 * <li>questions/s in a burst of {@code --questions} at once (and each one's wait), questions one per run or run
 * together; and the time of one question while the embedder is idle, on one thread or on the idle cores.</li>
 * </ul>
 * Every figure is taken once a round, in an order rotated each round, so that the drift of a shared machine's speed
 * falls on all; the ratios are taken within each round. Each figure also comes per CPU-second of this process (chunks or
 * questions over the CPU time it used meanwhile): on a machine shared with other work that, not the wall clock, says
 * how well the cores it got were used (a chunk's FLOP per CPU-second against a core's share of the peak). Not a test. Run with
 * {@code bash .ci/bench.sh io.docqa.ai.EmbedderWindowsBenchmark [--chunks 400 --rounds 5 --questions 400 --alone 100 --warm-up-rounds 1 --short true --corpus DIR]}.
 */
public final class EmbedderWindowsBenchmark {

    private static final List<Path> CORPORA = List.of(
            Path.of("/usr/share/doc/python3-doc/html/_sources"), Path.of("/usr/share/common-licenses"));
    /** GFLOP/s of 2 cores at best (issue 15: measured on the machines this was written on). */
    static final double PEAK_GFLOPS = 545;
    private static final int LAYERS = 6;
    private static final int HIDDEN = 384;
    private static final int FEED_FORWARD = 1536;
    private static final int WINDOW = 256;
    static final double CORE_PEAK_GFLOPS = PEAK_GFLOPS / 2;
    private static final String PER_CPU_SECOND = " per CPU-s";
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** A figure of one round: its value, what it means, and how many chunks or questions it took. */
    record Figure(double value, String text, int work) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int chunkCount = Integer.parseInt(options.getOrDefault("chunks", "400"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        int burst = Integer.parseInt(options.getOrDefault("questions", "400"));
        int alone = Integer.parseInt(options.getOrDefault("alone", "100"));
        int warmUpRounds = Integer.parseInt(options.getOrDefault("warm-up-rounds", "1"));
        int threads = Runtime.getRuntime().availableProcessors();
        Path corpus = options.containsKey("corpus") ? Path.of(options.get("corpus")) : defaultCorpus();
        List<String> chunks = chunks(corpus, chunkCount, 800);
        List<String> questions = questions(burst);
        System.out.printf("%d chunks of %s, %.0f characters on average; %d threads; %d questions, %.0f characters on average%n",
                chunks.size(), corpus, chunks.stream().mapToInt(String::length).average().orElseThrow(), threads,
                questions.size(), questions.stream().mapToInt(String::length).average().orElseThrow());
        double gflopPerChunk = gflopPerChunk(chunks);

        LangChain4jEncoder langChain4jFp32 = LangChain4jEncoder.upTo512(EmbeddingModel.ALL_MINILM_L6_V2);
        LangChain4jEncoder langChain4jInt8 = LangChain4jEncoder.upTo512(EmbeddingModel.ALL_MINILM_L6_V2_Q);
        Embedder wasFp32 = embedder(EmbeddingModel.ALL_MINILM_L6_V2, 1, 1024, 1, false);
        Embedder fp32 = embedder(EmbeddingModel.ALL_MINILM_L6_V2, 8, 512, 2, true);
        Embedder fp32At1024 = embedder(EmbeddingModel.ALL_MINILM_L6_V2, 8, 1024, 2, true);
        Embedder fp32Unbounded = embedder(EmbeddingModel.ALL_MINILM_L6_V2, 8, 8 * WINDOW, 2, true);
        Embedder fp32QuestionsAlone = embedder(EmbeddingModel.ALL_MINILM_L6_V2, 8, 512, 2, false);
        Embedder wasInt8 = embedder(EmbeddingModel.ALL_MINILM_L6_V2_Q, 1, 1024, 1, false);
        Embedder int8 = embedder(EmbeddingModel.ALL_MINILM_L6_V2_Q, 1, 1024, 2, false);
        ExecutorService pool = Executors.newFixedThreadPool(threads);

        Map<String, Callable<Figure>> measures = new LinkedHashMap<>();
        measures.put("chunks LangChain4j fp32", () -> chunksPerSecond(chunks.size(), run(pool, threads, chunks, langChain4jFp32::vector), gflopPerChunk));
        measures.put("chunks embedder was fp32", () -> chunksPerSecond(chunks.size(), uploads(wasFp32, chunks), gflopPerChunk));
        measures.put("chunks embedder fp32", () -> chunksPerSecond(chunks.size(), uploads(fp32, chunks), gflopPerChunk));
        measures.put("chunks fp32 1024 tokens a run", () -> chunksPerSecond(chunks.size(), uploads(fp32At1024, chunks), gflopPerChunk));
        measures.put("chunks fp32 8 windows a run", () -> chunksPerSecond(chunks.size(), uploads(fp32Unbounded, chunks), gflopPerChunk));
        measures.put("chunks LangChain4j int8", () -> chunksPerSecond(chunks.size(), run(pool, threads, chunks, langChain4jInt8::vector), gflopPerChunk));
        measures.put("chunks embedder int8", () -> chunksPerSecond(chunks.size(), uploads(int8, chunks), gflopPerChunk));
        measures.put("burst was fp32", () -> burst(wasFp32, questions));
        measures.put("burst fp32 run together", () -> burst(fp32, questions));
        if (!options.containsKey("short")) {
            measures.put("burst fp32 one per run", () -> burst(fp32QuestionsAlone, questions));
            measures.put("burst was int8", () -> burst(wasInt8, questions));
        }
        measures.put("burst int8", () -> burst(int8, questions));
        measures.put("alone was fp32 (1 thread)", () -> alone(wasFp32, questions.subList(0, alone)));
        measures.put("alone fp32 (idle cores)", () -> alone(fp32, questions.subList(0, alone)));
        measures.put("alone was int8 (1 thread)", () -> alone(wasInt8, questions.subList(0, alone)));
        measures.put("alone int8 (idle cores)", () -> alone(int8, questions.subList(0, alone)));
        Map<String, String[]> ratios = new LinkedHashMap<>();
        ratios.put("chunks fp32: embedder / embedder was", new String[] {"chunks embedder fp32", "chunks embedder was fp32"});
        ratios.put("chunks fp32: 1024 tokens a run / was", new String[] {"chunks fp32 1024 tokens a run", "chunks embedder was fp32"});
        ratios.put("chunks fp32: 8 windows a run / was", new String[] {"chunks fp32 8 windows a run", "chunks embedder was fp32"});
        ratios.put("chunks fp32: embedder / LangChain4j", new String[] {"chunks embedder fp32", "chunks LangChain4j fp32"});
        ratios.put("chunks int8: embedder / LangChain4j", new String[] {"chunks embedder int8", "chunks LangChain4j int8"});
        ratios.put("chunks: embedder int8 / fp32", new String[] {"chunks embedder int8", "chunks embedder fp32"});
        ratios.put("burst fp32: run together / was", new String[] {"burst fp32 run together", "burst was fp32"});
        if (!options.containsKey("short")) {
            ratios.put("burst fp32: run together / one per run", new String[] {"burst fp32 run together", "burst fp32 one per run"});
            ratios.put("burst int8: now / was", new String[] {"burst int8", "burst was int8"});
        }
        for (String name : List.copyOf(ratios.keySet())) {
            if (!name.startsWith("alone")) {
                String[] pair = ratios.get(name);
                ratios.put(name + PER_CPU_SECOND, new String[] {pair[0] + PER_CPU_SECOND, pair[1] + PER_CPU_SECOND});
            }
        }
        ratios.put("alone fp32: was / idle cores (speed-up)", new String[] {"alone was fp32 (1 thread)", "alone fp32 (idle cores)"});
        ratios.put("alone int8: was / idle cores (speed-up)", new String[] {"alone was int8 (1 thread)", "alone int8 (idle cores)"});

        List<String> names = new ArrayList<>(measures.keySet());
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Double>> ratioValues = new LinkedHashMap<>();
        try {
            for (int round = 0; round < warmUpRounds; round++) {
                for (String name : names) {
                    measures.get(name).call();
                }
            }
            for (int round = 0; round < rounds; round++) {
                Map<String, Double> figures = new LinkedHashMap<>();
                System.out.printf("round %d:%n", round + 1);
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get((i + round) % names.size());
                    long cpuBefore = CPU.getProcessCpuTime();
                    Figure figure = measures.get(name).call();
                    double perCpuSecond = figure.work() / ((CPU.getProcessCpuTime() - cpuBefore) / 1e9);
                    figures.put(name, figure.value());
                    figures.put(name + PER_CPU_SECOND, perCpuSecond);
                    values.computeIfAbsent(name, n -> new ArrayList<>()).add(figure.value());
                    values.computeIfAbsent(name + PER_CPU_SECOND, n -> new ArrayList<>()).add(perCpuSecond);
                    System.out.printf("  %-28s %s; %.1f per CPU-second%s   (load %s)%n", name, figure.text(), perCpuSecond,
                            name.startsWith("chunks") ? String.format(" = %.3f of a core's peak", perCpuSecond * gflopPerChunk / CORE_PEAK_GFLOPS) : "",
                            load());
                }
                ratios.forEach((name, pair) -> ratioValues.computeIfAbsent(name, n -> new ArrayList<>())
                        .add(figures.get(pair[0]) / figures.get(pair[1])));
            }
        }
        finally {
            pool.shutdown();
            Stream.of(wasFp32, fp32, fp32At1024, fp32Unbounded, fp32QuestionsAlone, wasInt8, int8).forEach(Embedder::close);
        }
        System.out.println("medians over the rounds (chunks/s and the share of the FLOP ceiling; questions/s; ms):");
        values.forEach((name, list) -> System.out.printf("  %-42s %8.2f%s%n", name, median(list),
                !name.startsWith("chunks") ? ""
                        : name.endsWith(PER_CPU_SECOND) ? String.format("   %.3f of a core's peak", median(list) * gflopPerChunk / CORE_PEAK_GFLOPS)
                        : String.format("   %.3f of the FLOP ceiling", median(list) * gflopPerChunk / PEAK_GFLOPS)));
        System.out.println("median of the same-round ratios:");
        ratioValues.forEach((name, list) -> System.out.printf("  %-42s %.3fx  (rounds: %s)%n", name, median(list),
                list.stream().map(r -> String.format("%.3f", r)).toList()));
    }

    private static Embedder embedder(EmbeddingModel model, int batchSize, int batchTokens, int questionThreads,
            boolean batchQuestions) {
        Embedder embedder = new Embedder(new EmbeddingProperties(0, 4096, WINDOW, model, batchSize, batchTokens,
                questionThreads, batchQuestions));
        embedder.warmUp().block();
        return embedder;
    }

    static Figure chunksPerSecond(int chunks, double seconds, double gflopPerChunk) {
        double perSecond = chunks / seconds;
        return new Figure(perSecond, String.format("%7.1f chunks/s, %.3f of the FLOP ceiling", perSecond,
                perSecond * gflopPerChunk / PEAK_GFLOPS), chunks);
    }

    /** Seconds for all chunks, given to the embedder as uploads do: 64 a call, two calls under way. */
    static double uploads(Embedder embedder, List<String> chunks) {
        long started = System.nanoTime();
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < chunks.size(); from += 64) {
            batches.add(chunks.subList(from, Math.min(from + 64, chunks.size())));
        }
        Flux.fromIterable(batches).flatMapSequential(embedder::embedAll, 2).then().block();
        return (System.nanoTime() - started) / 1e9;
    }

    /** Every question at once: questions/s, and each one's time from asking to its vector. */
    private static Figure burst(Embedder embedder, List<String> questions) {
        List<Double> waits = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        Flux.fromIterable(questions)
                .flatMap(question -> Mono.defer(() -> {
                    long asked = System.nanoTime();
                    return embedder.embed(question).doOnNext(vector -> waits.add((System.nanoTime() - asked) / 1e6));
                }), Integer.MAX_VALUE)
                .then().block();
        double perSecond = questions.size() / ((System.nanoTime() - started) / 1e9);
        return new Figure(perSecond, String.format("%7.1f questions/s, wait p50 %.1f ms, p99 %.1f ms", perSecond,
                percentile(waits, 0.5), percentile(waits, 0.99)), questions.size());
    }

    /** One question after another on an idle embedder: the median time of one. */
    private static Figure alone(Embedder embedder, List<String> questions) {
        List<Double> times = new ArrayList<>();
        for (String question : questions) {
            long asked = System.nanoTime();
            embedder.embed(question).block();
            times.add((System.nanoTime() - asked) / 1e6);
        }
        double p50 = percentile(times, 0.5);
        return new Figure(p50, String.format("%7.2f ms p50 a question alone (p90 %.2f ms)", p50, percentile(times, 0.9)),
                questions.size());
    }

    /** Seconds for all texts, {@code threads} at a time. */
    static double run(ExecutorService pool, int threads, List<String> texts, Function<String, float[]> model)
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

    /** The first of {@link #CORPORA} that this machine has. */
    static Path defaultCorpus() {
        return CORPORA.stream().filter(Files::isDirectory).findFirst().orElseThrow();
    }

    /** Paragraphs packed into chunks of at most {@code characters}, cut at spaces; chunks under 3/4 of that are left out. */
    static List<String> chunks(Path corpus, int count, int characters) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        List<String> chunks = new ArrayList<>();
        for (Path file : files) {
            StringBuilder chunk = new StringBuilder();
            for (String word : read(file).split("\\s+")) {
                if (chunk.length() + word.length() + 1 > characters) {
                    chunks.add(chunk.toString());
                    chunk.setLength(0);
                }
                chunk.append(chunk.isEmpty() ? "" : " ").append(word);
            }
            chunks.add(chunk.toString());
        }
        List<String> full = chunks.stream().filter(chunk -> chunk.length() >= characters * 3 / 4).toList();
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

    /** The questions of RetrievalBenchmark's lists, over and over. */
    private static List<String> questions(int count) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String list : List.of("/bench/near-miss-questions.txt", "/bench/off-topic-questions.txt")) {
            try (InputStream in = EmbedderWindowsBenchmark.class.getResourceAsStream(list)) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(lines::add);
            }
        }
        List<String> questions = new ArrayList<>();
        for (int i = 0; questions.size() < count; i++) {
            questions.add(lines.get(i % lines.size()));
        }
        return questions;
    }

    /**
     * The useful GFLOP of a chunk on average: every window of {@value #WINDOW} tokens as the embedder cuts it, with
     * {@value #LAYERS} layers of the projections and feed-forward ({@code 2n(4h² + 2hf)}) and attention ({@code 4n²h});
     * padding not counted.
     */
    static double gflopPerChunk(List<String> chunks) throws IOException {
        double flop = 0;
        List<Integer> tokens = new ArrayList<>();
        try (InputStream json = MiniLmModel.resource("all-minilm-l6-v2-tokenizer.json");
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("truncation", "false", "padding", "false"))) {
            for (String chunk : chunks) {
                Encoding encoding = tokenizer.encode(chunk);
                tokens.add(encoding.getIds().length);
                for (TokenWindows.Window window : TokenWindows.of(encoding.getIds(), encoding.getTokens(), WINDOW)) {
                    double n = window.ids().length;
                    flop += LAYERS * (2 * n * (4.0 * HIDDEN * HIDDEN + 2.0 * HIDDEN * FEED_FORWARD) + 4 * n * n * HIDDEN);
                }
            }
        }
        double gflop = flop / 1e9 / chunks.size();
        System.out.printf("tokens per chunk ([CLS] and [SEP] included): median %.0f, mean %.1f; over %d: %.0f %%; %.3f GFLOP a chunk,"
                        + " so %.1f chunks/s at %.0f GFLOP/s%n", median(tokens.stream().map(Integer::doubleValue).toList()),
                tokens.stream().mapToInt(Integer::intValue).average().orElseThrow(), WINDOW,
                100.0 * tokens.stream().filter(n -> n > WINDOW).count() / tokens.size(), gflop, PEAK_GFLOPS / gflop, PEAK_GFLOPS);
        return gflop;
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        }
        catch (IOException e) {
            return "?";
        }
    }

    private static double percentile(List<Double> values, double fraction) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) (fraction * sorted.length))];
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

}
