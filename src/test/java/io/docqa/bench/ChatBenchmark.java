package io.docqa.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.docqa.support.FakeOllama;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * What the service adds to an answer's time to first token, and how it holds many streams at once. Run with
 * {@code bash .ci/bench.sh ChatBenchmark}. The fake Ollama answers after a fixed {@value #MODEL_FIRST_TOKEN_MS} ms, so
 * the added time is the client's time to the first {@code token} event minus that delay: authentication, the
 * conversation rows, embedding the question, the Chroma search, the prompt and the HTTP hops, seen from the client.
 *
 * <ol>
 * <li>One tenant with about {@code --chunks} chunks (10,000) uploaded through the API; {@code --questions} questions,
 * one after another, after a warm-up.</li>
 * <li>{@code --tenants} tenants in all (1,000), each with a small document of its own; questions go to every tenant in
 * turn, so each is answered from another collection than the one before; a warm-up round, then a measured one.</li>
 * <li>{@code --streams} clients (1,000) ask at once, one per tenant (tenants take several turns when there are more
 * streams than tenants); the fake model streams {@code --answer-tokens} tokens (750) {@code --token-ms} apart (40), so
 * that every answer is still streaming when the last question of the burst reaches the model; each must end with
 * {@code done}. Heap, threads and the answers the model is streaming at once are sampled throughout. With
 * {@code --asking N} at most N of them wait for their first token at a time (each first token lets the next ask): the
 * streams pile up without one burst of questions waiting for retrieval and for PostgreSQL's connection pool.</li>
 * </ol>
 * The service runs in its own JVM with {@code -Xmx512m} ({@code --heap}). With {@code --compare-modes vector,keyword} and/or
 * {@code --compare-jar PATH} (another build), step 1 also starts an instance for each on the same database and Chroma,
 * and asks each question of every instance in turn: the difference between retrieval modes, or builds, within one run.
 * With {@code --compare-jar}, every compared instance also streams step 3's burst, before the measured service does (its service CPU per
 * answer and per token); with {@code --profile} each stream burst is sampled too.
 */
public final class ChatBenchmark {

    static final int MODEL_FIRST_TOKEN_MS = 50;

    public static void main(String[] args) {
        Options options = Options.parse(args);
        Path dir = Path.of("target", "bench", "corpus");
        Path big = Corpus.write(dir.resolve("ten-thousand-chunks.txt"), (long) (options.chunks() * 570L), 99);
        Path small = Corpus.write(dir.resolve("small.txt"), 6_000, 5);
        Random random = new Random(1);

        List<String> jvmOptions = List.of("-Xmx" + options.heap(), "-XX:+ExitOnOutOfMemoryError");
        int atOnce = Math.max(options.streams(), options.burst());
        Map<String, String> settings = new HashMap<>(Map.of("DOCQA_UPLOAD_MAX_FILE_SIZE", "64MB",
                "DOCQA_CHAT_MAX_CONCURRENT_GENERATIONS", Integer.toString(atOnce * 2),
                "DOCQA_CHAT_MAX_QUEUED_GENERATIONS", Integer.toString(atOnce * 2),
                // a stream per tenant or several: the burst measures capacity, not each tenant's share
                "DOCQA_CHAT_SHARES_MAX_PER_TENANT", Integer.toString(atOnce * 2),
                "DOCQA_CHAT_SHARES_MAX_PER_CALLER", Integer.toString(atOnce * 2),
                // on a starved machine the waits grow; a timeout should still mean that something stopped, not that it was slow
                "DOCQA_OLLAMA_FIRST_TOKEN_TIMEOUT", "5m",
                "DOCQA_OLLAMA_STALL_TIMEOUT", Math.max(300, 10 * options.tokenMs() / 1000) + "s",
                "DOCQA_OLLAMA_ANSWER_TIMEOUT", Math.max(600, 3 * options.answerTokens() * options.tokenMs() / 1000) + "s",
                "DOCQA_CHROMA_TIMEOUT", "60s",
                "SPRING_R2DBC_POOL_MAX_ACQUIRE_TIME", "60s"));
        // the tenants ask with the tokens of their sign-up, and a burst of 5,000 on a loaded machine outlasts the 15 minutes
        // an access token lives: without this the last questions were refused 401
        settings.put("DOCQA_AUTH_ACCESS_TOKEN_TTL", "6h");
        try (FakeOllama ollama = FakeOllama.start();
                ServiceProcess service = ServiceProcess.start("chat-service", ollama.baseUrl(), jvmOptions, settings);
                MetricsSampler metrics = new MetricsSampler(service.baseUrl(), service.scrapeToken());
                SseQuestions questions = new SseQuestions(service.baseUrl(), atOnce + 100);
                ComparedInstances compared = new ComparedInstances("measured", questions, service.pid())) {
            BenchApi api = new BenchApi(service.baseUrl());
            fastModel(ollama, options.fastTokens());

            String email = "tenant0-" + java.util.UUID.randomUUID() + "@bench.example";
            String bigTenant = api.signup("tenant 0", email);
            long started = System.nanoTime();
            JsonNode document = api.upload(bigTenant, big);
            System.out.printf("tenant 0: %d chunks ingested in %.0f s%n", document.get("chunk_count").asLong(),
                    (System.nanoTime() - started) / 1e9);

            Percentiles oneTenant;
            if (options.compareModes().isEmpty() && options.compareJar() == null) {
                sequential(questions, List.of(bigTenant), options.warmUp(), random);
                oneTenant = sequential(questions, List.of(bigTenant), options.questions(), random);
            } else {
                oneTenant = compare(compared, options, ollama.baseUrl(), jvmOptions, settings, new FreshToken(api, email, api.login(email)), random);
            }
            System.out.println("1 tenant:     added " + oneTenant);

            // tenant 0 again with a token of now: step 1 can outlast an access token (15 min) on a loaded machine
            List<String> tenants = Collections.synchronizedList(new ArrayList<>(List.of(api.login(email))));
            started = System.nanoTime();
            AtomicInteger made = new AtomicInteger();
            Flux.range(1, options.tenants() - 1)
                    .flatMap(i -> reactor.core.publisher.Mono.fromRunnable(() -> {
                                String token = api.signup("tenant " + i);
                                api.upload(token, small);
                                tenants.add(token);
                                if (made.incrementAndGet() % 100 == 0) {
                                    System.out.printf("  %d tenants made%n", made.get());
                                }
                            }).subscribeOn(Schedulers.boundedElastic()), 8)
                    .blockLast();
            System.out.printf("%d tenants with a document each, made in %.0f s%n", tenants.size(), (System.nanoTime() - started) / 1e9);

            List<String> inTurn = new ArrayList<>(tenants);
            Collections.shuffle(inTurn, random);
            Percentiles firstOfEach = sequential(questions, inTurn, inTurn.size(), random);
            System.out.println(tenants.size() + " tenants, first question of each: added " + firstOfEach);
            Percentiles manyTenants = sequential(questions, inTurn, inTurn.size(), random);
            System.out.println(tenants.size() + " tenants: added " + manyTenants);
            List<String> burstLines = bursts(compared, options, inTurn, random);

            if (options.streams() == 0) {
                burstLines.forEach(System.out::println);
                System.exit(0);
            }
            ollama.reset();
            streamingModel(ollama, options);
            List<String> askers = IntStream.range(0, options.streams()).mapToObj(i -> inTurn.get(i % inTurn.size())).toList();
            List<String> otherStreams = new ArrayList<>();
            AsyncProfiling profiler = options.profile() == null ? null : new AsyncProfiling(options.profile());
            // a compared build streams the same burst after the measured one: CPU per streamed token of both in one run
            for (ComparedInstances.Instance instance : options.compareJar() == null ? List.<ComparedInstances.Instance>of()
                    : compared.instances().subList(1, compared.size())) {
                otherStreams.addAll(streamBurst(instance, askers, options, profiler, random, new Progress(System.nanoTime())));
                ServiceProcess.sleep(5000);
            }
            metrics.reset();
            long threadsBefore = metrics.lastThreads();
            AtomicInteger generating = new AtomicInteger();
            Progress progress = new Progress(System.nanoTime());
            reactor.core.Disposable watch = Flux.interval(Duration.ofMillis(100))
                    .subscribe(tick -> {
                        int active = ollama.activeAnswers();
                        generating.accumulateAndGet(active, Math::max);
                        if (tick % 300 == 299) {
                            progress.print(active, metrics);
                        }
                    });
            List<String> measuredStreams = streamBurst(compared.instances().get(0), askers, options, profiler, random, progress);
            watch.dispose();
            ServiceProcess.sleep(1000);
            System.out.println();
            System.out.println("== chat benchmark (" + Runtime.getRuntime().availableProcessors() + " cores), fake model first token "
                    + MODEL_FIRST_TOKEN_MS + " ms");
            System.out.println("added time to first token, 1 tenant (" + document.get("chunk_count").asLong() + " chunks): " + oneTenant);
            System.out.println("added time to first token, " + tenants.size() + " tenants in turn:      " + manyTenants);
            System.out.println("  (the first question of each of them:          " + firstOfEach + ")");
            System.out.printf("ratio %d tenants / 1 tenant: p50 %.2fx, p99 %.2fx (target <= 1.2x)%n", tenants.size(),
                    manyTenants.p50() / oneTenant.p50(), manyTenants.p99() / oneTenant.p99());
            burstLines.forEach(System.out::println);
            measuredStreams.forEach(System.out::println);
            System.out.printf("  answers the model was streaming at once: at most %d%n", generating.get());
            System.out.printf("  peak heap %.0f MB (-Xmx%s; live after a full collection at most %.0f MB), peak live threads %d"
                            + " (%d before; platform threads: Java %s, no virtual threads), peak RSS %.0f MB, load average %s%n",
                    metrics.peakHeapBytes() / 1e6, options.heap(), metrics.peakLiveDataBytes() / 1e6, metrics.peakThreads(), threadsBefore,
                    Runtime.version().feature(), service.peakResidentBytes() / 1e6, metrics.loadRange());
            otherStreams.forEach(System.out::println);
        }
        System.exit(0);
    }

    /**
     * The one-tenant questions asked of the measured service and of an instance for each {@code --compare-modes} mode
     * and for {@code --compare-jar}, in turn; the measured service's added times to first token.
     */
    private static Percentiles compare(ComparedInstances compared, Options options, String ollamaUrl, List<String> jvmOptions,
            Map<String, String> settings, FreshToken tenant, Random random) {
        for (String mode : options.compareModes()) {
            Map<String, String> withMode = new HashMap<>(settings);
            // a mode NAME=VALUE is any other setting of the measured build, e.g. SPRING_REACTOR_CONTEXT_PROPAGATION=limited
            int equals = mode.indexOf('=');
            withMode.put(equals < 0 ? "DOCQA_RETRIEVAL_MODE" : mode.substring(0, equals), mode.substring(equals + 1));
            compared.start("mode=" + mode, null, ollamaUrl, jvmOptions, withMode);
        }
        if (options.compareJar() != null) {
            compared.start("jar=" + options.compareJar().getFileName(), options.compareJar(), ollamaUrl, jvmOptions, settings);
        }
        Duration modelDelay = Duration.ofMillis(MODEL_FIRST_TOKEN_MS);
        compared.ask(tenant, options.warmUp(), random, modelDelay);
        Map<String, ComparedInstances.Times> times = compared.ask(tenant, options.questions(), random, modelDelay);
        System.out.println("== the same questions to " + compared.size() + " instances in turn (load " + ComparedInstances.loadAverage() + ")");
        times.forEach((name, time) -> System.out.printf("  %-28s added %s%n  %-28s (to the sources event: %s)%n", name, time.added(), "", time.sources()));
        return times.get("measured").added();
    }

    /**
     * {@code --burst} questions at once, the fast model answering, to each instance in turn ({@code --compare-jar} and
     * {@code --compare-modes} included), a round that warms every instance up and then {@code --burst-rounds} measured
     * rounds, the order rotating; the service's CPU per question of each. With {@code --profile LIB} (async-profiler's
     * {@code libasyncProfiler.so}) each instance's measured rounds are sampled, and where the CPU went is printed.
     */
    private static List<String> bursts(ComparedInstances compared, Options options, List<String> tenants, Random random) {
        List<String> lines = new ArrayList<>();
        if (options.burst() == 0) {
            return lines;
        }
        List<ComparedInstances.Instance> instances = compared.instances();
        AsyncProfiling profiler = options.profile() == null ? null : new AsyncProfiling(options.profile());
        Map<String, List<CpuBurst.Result>> results = new java.util.LinkedHashMap<>();
        for (int round = 0; round <= options.burstRounds(); round++) {
            for (int j = 0; j < instances.size(); j++) {
                ComparedInstances.Instance instance = instances.get((round + j) % instances.size());
                if (round == 1 && profiler != null) {
                    profiler.start(instance.pid());
                }
                CpuBurst.Result result = CpuBurst.run(instance.questions(), instance.pid(), tenants, options.burst(), random);
                System.out.printf("  burst round %d, %s: %s (load %s)%n", round, instance.name(), result, ComparedInstances.loadAverage());
                if (round > 0) {
                    results.computeIfAbsent(instance.name(), name -> new ArrayList<>()).add(result);
                }
            }
        }
        lines.add(String.format("%d questions at once, fast model (%d rounds each, median):", options.burst(), options.burstRounds()));
        for (ComparedInstances.Instance instance : instances) {
            List<CpuBurst.Result> rounds = new ArrayList<>(results.get(instance.name()));
            rounds.sort(java.util.Comparator.comparingDouble(CpuBurst.Result::msPerQuestion));
            CpuBurst.Result median = rounds.get(rounds.size() / 2);
            lines.add(String.format("  %-28s service CPU %.2f ms per question (embedding threads %.2f ms; rounds %s); errors %d;"
                            + " time to first token p50 %.0f ms, p99 %.0f ms", instance.name(), median.msPerQuestion(),
                    median.embeddingMsPerQuestion(), rounds.stream().map(r -> String.format("%.2f", r.msPerQuestion())).toList(),
                    rounds.stream().mapToInt(CpuBurst.Result::errors).sum(), median.firstTokens().p50(), median.firstTokens().p99()));
            if (profiler != null) {
                Path file = Path.of("target", "bench", "burst-profile-" + instance.name().replaceAll("[^A-Za-z0-9.-]", "_") + ".collapsed");
                profiler.stop(instance.pid(), file);
                if (!java.nio.file.Files.isRegularFile(file)) {
                    lines.add("  no profile of " + instance.name() + " was written (see its log)");
                    continue;
                }
                ProfileTable table = ProfileTable.read(file);
                lines.add("  where " + instance.name() + "'s CPU went (" + table.total() + " samples, " + file + "):");
                lines.add("  | area | share of samples | per question |");
                lines.add("  |---|---|---|");
                table.rows(median.msPerQuestion()).forEach(row -> lines.add("  " + row));
            }
        }
        lines.add("  (load average " + ComparedInstances.loadAverage() + ")");
        return lines;
    }

    /** Questions one after another, to the tenants in turn; the added times to first token. */
    private static Percentiles sequential(SseQuestions questions, List<String> tenants, int count, Random random) {
        List<Long> added = new ArrayList<>(count);
        List<Long> sources = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SseQuestions.Outcome outcome = questions.ask(tenants.get(i % tenants.size()), Corpus.question(random)).block();
            if (outcome == null || !outcome.ok()) {
                throw new IllegalStateException("Question " + i + " failed: " + outcome);
            }
            added.add(outcome.firstTokenNanos() - Duration.ofMillis(MODEL_FIRST_TOKEN_MS).toNanos());
            sources.add(outcome.sourcesNanos());
        }
        System.out.println("  (to the sources event: " + Percentiles.ofNanos(sources) + ")");
        return Percentiles.ofNanos(added);
    }

    /**
     * An error's kind: its problem code ({@code "code":"llm_timeout"}), a stream that ended without {@code done} nor an
     * error event ({@code truncated}), or what the client saw (a status, an exception).
     */
    private static String errorCode(String error) {
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("\"code\":\"([a-z_]+)\"").matcher(error);
        if (code.find()) {
            return code.group(1);
        }
        if (error.contains("done=false, error=null]")) {
            return error.contains("firstTokenNanos=0,") ? "truncated before the first token" : "truncated";
        }
        java.util.regex.Matcher seen = java.util.regex.Pattern.compile("error=([^:,\\]]*)").matcher(error);
        return seen.find() ? seen.group(1) : error.substring(0, Math.min(60, error.length()));
    }

    /** {@code askers} stream an answer each from {@code instance} at once; the summary lines (CPU per token included). */
    private static List<String> streamBurst(ComparedInstances.Instance instance, List<String> askers, Options options,
            AsyncProfiling profiler, Random random, Progress progress) {
        if (profiler != null) {
            profiler.start(instance.pid());
        }
        CpuUse cpuBefore = CpuUse.take(instance.pid());
        Concurrent concurrent = concurrent(instance.questions(), askers, random, options.asking(), progress);
        CpuUse cpu = CpuUse.take(instance.pid()).since(cpuBefore);
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s, %d concurrent streams (%s): %d completed with done, %d errors, at most %d open at once, %.1f s",
                instance.name(), concurrent.clients(), options.asking() > 0 ? "at most " + options.asking() + " asking at a time" : "all asking at once",
                concurrent.completed(), concurrent.errors().size(), concurrent.maxOpen(), concurrent.seconds()));
        concurrent.errors().stream().collect(java.util.stream.Collectors.groupingBy(ChatBenchmark::errorCode,
                        java.util.TreeMap::new, java.util.stream.Collectors.counting()))
                .forEach((code, count) -> lines.add("  errors " + code + ": " + count));
        concurrent.errors().stream().limit(5).forEach(error -> lines.add("  error: " + error));
        lines.add("  time to first token under that load: " + concurrent.firstTokens());
        double msPerAnswer = cpu.service() * 10.0 / concurrent.clients();
        lines.add(String.format("  service CPU %.1f s in all, %.1f ms per question (streaming %d tokens each included; %.1f us per token"
                        + " with the question's own work); %s; load %s", cpu.service() / 100.0, msPerAnswer, options.answerTokens(),
                1000.0 * msPerAnswer / Math.max(1, options.answerTokens()), cpu.describe(), ComparedInstances.loadAverage()));
        if (profiler != null) {
            Path file = Path.of("target", "bench", "streams-profile-" + instance.name().replaceAll("[^A-Za-z0-9.-]", "_") + ".collapsed");
            profiler.stop(instance.pid(), file);
            if (java.nio.file.Files.isRegularFile(file)) {
                ProfileTable table = ProfileTable.read(file);
                lines.add("  where " + instance.name() + "'s CPU went (" + table.total() + " samples, " + file + "):");
                lines.add("  | area | share of samples | per question |");
                lines.add("  |---|---|---|");
                table.rows(msPerAnswer).forEach(row -> lines.add("  " + row));
            }
        }
        return lines;
    }

    /** How the streams of the burst stand, printed every 30 s: a long run shows where it is before its summary. */
    static final class Progress {

        private final long started;
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        Progress(long started) {
            this.started = started;
        }

        void add(SseQuestions.Outcome outcome) {
            (outcome.ok() ? completed : failed).incrementAndGet();
        }

        void print(int generating, MetricsSampler metrics) {
            System.out.printf("  %4.0f s: %d open, %d done, %d errors; model streaming %d; service %d threads, heap %.0f MB; load %s%n",
                    (System.nanoTime() - started) / 1e9, open.get(), completed.get(), failed.get(), generating,
                    metrics.lastThreads(), metrics.lastHeapBytes() / 1e6, ComparedInstances.loadAverage());
        }
    }

    record Concurrent(int clients, int completed, List<String> errors, int maxOpen, double seconds, Percentiles firstTokens) {
    }

    /**
     * Every client asks once and reads its answer to the end. With {@code asking} 0 they all ask at once (a burst);
     * otherwise at most that many wait for their first token at a time, and each first token lets the next one ask,
     * so that the streams pile up without one burst of questions queueing for retrieval.
     */
    private static Concurrent concurrent(SseQuestions questions, List<String> tenants, Random random, int asking, Progress progress) {
        AtomicInteger open = progress.open;
        AtomicInteger maxOpen = new AtomicInteger();
        List<String> texts = IntStream.range(0, tenants.size()).mapToObj(i -> Corpus.question(random)).toList();
        Semaphore waiting = new Semaphore(asking > 0 ? asking : tenants.size());
        Scheduler admitting = Schedulers.newSingle("bench-asking");
        long started = System.nanoTime();
        List<SseQuestions.Outcome> outcomes = Flux.range(0, tenants.size())
                .map(i -> {
                    waiting.acquireUninterruptibly(); // on the thread of its own that admits the questions
                    return i;
                })
                .subscribeOn(admitting)
                .flatMap(i -> questions.ask(tenants.get(i), texts.get(i), waiting::release)
                        .doOnSubscribe(s -> maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max))
                        .doOnNext(progress::add)
                        .doFinally(signal -> open.decrementAndGet()), tenants.size())
                .collectList()
                .block();
        admitting.dispose();
        double seconds = (System.nanoTime() - started) / 1e9;
        List<String> errors = outcomes.stream().filter(outcome -> !outcome.ok()).map(Object::toString).toList();
        List<Long> firstTokens = outcomes.stream().filter(SseQuestions.Outcome::ok).map(SseQuestions.Outcome::firstTokenNanos).toList();
        System.out.println("  (to the sources event under load: " + Percentiles.ofNanos(
                outcomes.stream().filter(SseQuestions.Outcome::ok).map(SseQuestions.Outcome::sourcesNanos).toList()) + ")");
        return new Concurrent(tenants.size(), outcomes.size() - errors.size(), errors, maxOpen.get(), seconds,
                Percentiles.ofNanos(firstTokens));
    }

    /** The model of every step but the streams: five tokens, or {@code --fast-tokens} (then the burst weighs streaming too). */
    private static void fastModel(FakeOllama ollama, int tokens) {
        String[] answer = tokens == 5 ? new String[] {"The", " documents", " say", " so", " [1]."}
                : IntStream.range(0, tokens).mapToObj(i -> i == tokens - 1 ? " [1]." : " word" + i).toArray(String[]::new);
        ollama.firstTokenDelay(Duration.ofMillis(MODEL_FIRST_TOKEN_MS)).answer(answer);
    }

    private static void streamingModel(FakeOllama ollama, Options options) {
        String[] tokens = IntStream.range(0, options.answerTokens()).mapToObj(i -> " word" + i).toArray(String[]::new);
        ollama.firstTokenDelay(Duration.ofMillis(MODEL_FIRST_TOKEN_MS)).tokenDelay(Duration.ofMillis(options.tokenMs())).answer(tokens);
    }

    record Options(int chunks, int warmUp, int questions, int tenants, int streams, int answerTokens, int tokenMs, int asking,
            List<String> compareModes, Path compareJar, int burst, int burstRounds, Path profile, String heap, int fastTokens) {

        static Options parse(String[] args) {
            int chunks = 10_000;
            int warmUp = 500;
            int questions = 500;
            int tenants = 1000;
            int streams = 1000;
            int answerTokens = 750;
            int tokenMs = 40;
            int asking = 0;
            List<String> compareModes = List.of();
            Path compareJar = null;
            int burst = 300;
            int burstRounds = 3;
            Path profile = null;
            String heap = "512m";
            int fastTokens = 5;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--chunks" -> chunks = Integer.parseInt(args[++i]);
                    case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
                    case "--questions" -> questions = Integer.parseInt(args[++i]);
                    case "--tenants" -> tenants = Integer.parseInt(args[++i]);
                    case "--streams" -> streams = Integer.parseInt(args[++i]);
                    case "--answer-tokens" -> answerTokens = Integer.parseInt(args[++i]);
                    case "--token-ms" -> tokenMs = Integer.parseInt(args[++i]);
                    case "--asking" -> asking = Integer.parseInt(args[++i]);
                    case "--compare-modes" -> compareModes = List.of(args[++i].split(","));
                    case "--compare-jar" -> compareJar = Path.of(args[++i]);
                    case "--burst" -> burst = Integer.parseInt(args[++i]);
                    case "--burst-rounds" -> burstRounds = Integer.parseInt(args[++i]);
                    case "--profile" -> profile = Path.of(args[++i]);
                    case "--heap" -> heap = args[++i];
                    case "--fast-tokens" -> fastTokens = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; options: --chunks N (10000), --warm-up N (500), --questions N (500), --tenants N (1000), --streams N (1000), --answer-tokens N (750), --token-ms N (40), "
                            + "--asking N (0: all at once), --compare-modes vector,keyword or NAME=VALUE (none), --compare-jar PATH (none), "
                            + "--burst N (300; 0: none), --burst-rounds N (3), --profile PATH/libasyncProfiler.so (none), --heap SIZE (512m: the service's -Xmx), --fast-tokens N (5: the model's answer outside the streams)");
                }
            }
            return new Options(chunks, warmUp, questions, tenants, streams, answerTokens, tokenMs, asking, compareModes, compareJar,
                    burst, burstRounds, profile, heap, fastTokens);
        }
    }
}
