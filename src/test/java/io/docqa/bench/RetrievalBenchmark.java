package io.docqa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.docqa.support.ChromaServer;
import io.docqa.support.FakeOllama;
import io.docqa.support.TestDatabase;
import tools.jackson.databind.JsonNode;

/**
 * Whether answers stand on the right page: retrieval quality on real documents, for each retrieval mode. Run with
 * {@code bash .ci/bench.sh RetrievalBenchmark}. Nothing here is timed.
 *
 * <ol>
 * <li>The corpus ({@link RetrievalCorpus}): about 120 pages of the Python documentation from Debian's python3-doc, as
 * HTML, a few converted to PDF and DOCX by LibreOffice, and pip's Markdown pages, uploaded to one tenant of the
 * packaged service (fresh database, real Chroma, a fake Ollama that answers at once).</li>
 * <li>The questions ({@link QuestionSet}): drawn with a fixed seed from headings, API definitions and index entries, so
 * that the right page is known; follow-up pairs; hand-written off-topic questions.</li>
 * <li>For each mode ({@code docqa.retrieval.mode}: hybrid, vector, keyword) the service is started again on the same
 * database and Chroma and every question is asked ({@link RetrievalEvaluator}); the figures ({@link RetrievalMetrics})
 * are printed and written to {@code target/bench/retrieval.json} ({@link RetrievalReport}).</li>
 * </ol>
 */
public final class RetrievalBenchmark {

    /**
     * The database that {@code --reuse} keeps between runs, on the tests' PostgreSQL server; {@code
     * DOCQA_BENCH_KEPT_DATABASE} names another, so that two ingestions (say, of two embedding models) are kept at once;
     * its Chroma data and the run's figures then go to {@code target/bench/<that name>}, so the two can also run at once.
     */
    private static final String DEFAULT_KEPT_DATABASE = "docqa_bench_retrieval";
    private static final String KEPT_DATABASE = System.getenv().getOrDefault("DOCQA_BENCH_KEPT_DATABASE", DEFAULT_KEPT_DATABASE);

    public static void main(String[] args) {
        Options options = Options.parse(args);
        Path dir = Path.of("target", "bench");
        RetrievalCorpus corpus = RetrievalCorpus.prepare(dir.resolve("retrieval-corpus"));
        Path out = KEPT_DATABASE.equals(DEFAULT_KEPT_DATABASE) ? dir : dir.resolve(KEPT_DATABASE);
        QuestionSet questions = QuestionSet.build(corpus, options.seed(), options.questions(), options.followUps());
        Map<String, String> formats = corpus.pages().stream().collect(Collectors.toMap(RetrievalCorpus.Page::name,
                page -> extension(page.upload())));
        System.out.printf("corpus: %d files, %.1f MB (%s); %d in-corpus questions (%s), %d off-topic, %d near misses,"
                        + " %d follow-up pairs%n", corpus.pages().size(), corpus.bytes() / 1e6, count(formats.values()),
                questions.inCorpus().size(), count(questions.inCorpus().stream().map(QuestionSet.Question::kind).toList()),
                questions.offTopic().size(), questions.nearMisses().size(), questions.followUps().size());
        if (options.listQuestions()) {
            list(questions);
            return;
        }

        Map<String, String> documentIds = new LinkedHashMap<>();
        Path keptDir = out.resolve("retrieval-kept");
        Optional<KeptIngestion> kept = options.reuse()
                ? KeptIngestion.read(keptDir.resolve("ingested.json")).filter(found -> found.fits(corpus.stamp(), options.settings()))
                : Optional.empty();
        kept.ifPresent(found -> {
            documentIds.putAll(found.documentIds());
            System.out.printf("reusing the ingestion kept in %s (%d chunks)%n", keptDir, found.chunks());
        });
        TestDatabase database;
        String chromaUrl;
        if (options.reuse()) {
            if (kept.isEmpty()) {
                deleteTree(keptDir);
            }
            database = TestDatabase.kept(KEPT_DATABASE, kept.isEmpty());
            chromaUrl = ChromaServer.fromNpm(keptDir.resolve("chroma")).url();
        } else {
            database = TestDatabase.get();
            chromaUrl = ChromaServer.get().url();
        }
        String email = kept.map(KeptIngestion::email).orElse("owner-" + UUID.randomUUID() + "@bench.test");
        long chunks = kept.map(KeptIngestion::chunks).orElse(0L);
        RetrievalReport report = null;
        try (FakeOllama ollama = FakeOllama.start()) {
            ollama.answer("The", " documents", " say", " so", " [1].");
            for (Map<String, String> variant : options.variants()) {
                Map<String, String> settings = new LinkedHashMap<>(options.settings());
                settings.putAll(variant);
                for (String mode : options.modes()) {
                    String label = label(mode, variant);
                    try (ServiceProcess service = start(dir.relativize(out).resolve("retrieval-service-" + RetrievalReport.fileName(label)),
                            mode, ollama, database, chromaUrl, settings)) {
                        BenchApi api = new BenchApi(service.baseUrl());
                        FreshToken token;
                        if (documentIds.isEmpty()) {
                            token = new FreshToken(api, email, api.signup("retrieval benchmark", email));
                            chunks = upload(api, token, corpus, documentIds);
                            if (options.reuse()) {
                                new KeptIngestion(email, documentIds, chunks, corpus.stamp(),
                                        KeptIngestion.ingestionSettings(options.settings())).write(keptDir.resolve("ingested.json"));
                            }
                        } else {
                            token = new FreshToken(api, email, api.login(email));
                        }
                        if (report == null) {
                            report = new RetrievalReport(header(corpus, chunks, questions, options),
                                    setup(corpus, formats, chunks, questions, options));
                        }
                        long started = System.nanoTime();
                        RetrievalEvaluator.Results results = new RetrievalEvaluator(api, token, documentIds).evaluate(questions);
                        RetrievalMetrics metrics = RetrievalMetrics.of(label, results, formats::get);
                        System.out.printf("%s: hit@1 %.3f, hit@4 %.3f, MRR@10 %.3f, off-topic refused %d/%d, in-corpus refused %d/%d"
                                        + " (%.0f s)%n", label, metrics.hit1(), metrics.hit4(), metrics.mrr10(), metrics.offTopicRefused(),
                                metrics.offTopic(), metrics.inCorpusRefused(), metrics.inCorpus(), (System.nanoTime() - started) / 1e9);
                        report.add(metrics, results, out);
                    }
                }
            }
        }
        report.print();
        report.writeSummary(out.resolve("retrieval.json"));
        System.exit(0);
    }

    private static void list(QuestionSet questions) {
        questions.inCorpus().forEach(question -> System.out.println(question.kind() + "\t" + question.text() + "\t" + question.pages()));
        questions.followUps().forEach(pair -> System.out.println(pair.followUp().kind() + "\t" + pair.first().text() + " / "
                + pair.followUp().text() + "\t" + pair.followUp().pages()));
        questions.offTopic().forEach(question -> System.out.println("off-topic\t" + question));
        questions.nearMisses().forEach(question -> System.out.println("near miss\t" + question));
    }

    private static String header(RetrievalCorpus corpus, long chunks, QuestionSet questions, Options options) {
        return String.format("%d files, %.1f MB, %d chunks; %d in-corpus questions, %d off-topic, %d near misses,"
                        + " %d follow-up pairs; top_k %d; seed %d; settings %s", corpus.pages().size(), corpus.bytes() / 1e6,
                chunks, questions.inCorpus().size(), questions.offTopic().size(), questions.nearMisses().size(),
                questions.followUps().size(), RetrievalEvaluator.TOP_K, options.seed(), options.settings());
    }

    /** {@code log}: the service's log file under {@code target/bench}, without ".log". */
    private static ServiceProcess start(Path log, String mode, FakeOllama ollama, TestDatabase database, String chromaUrl,
            Map<String, String> settings) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Ddocqa.retrieval.mode=" + mode));
        settings.forEach((name, value) -> jvm.add("-D" + name + "=" + value));
        return ServiceProcess.start(log.toString(), database, chromaUrl, ollama.baseUrl(),
                jvm, Map.of("DOCQA_UPLOAD_MAX_FILE_SIZE", "64MB"));
    }

    /** The mode, and the settings of its variant without their common prefix: "hybrid keyword-weight=2". */
    private static String label(String mode, Map<String, String> variant) {
        StringBuilder label = new StringBuilder(mode);
        variant.forEach((name, value) -> label.append(' ').append(name.replaceFirst("^docqa\\.(retrieval\\.)?", "")).append('=').append(value));
        return label.toString();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uploads every file of the corpus, one after another; answers the number of chunks. */
    private static long upload(BenchApi api, FreshToken token, RetrievalCorpus corpus, Map<String, String> documentIds) {
        long started = System.nanoTime();
        long chunks = 0;
        for (RetrievalCorpus.Page page : corpus.pages()) {
            JsonNode document = uploadRetried(api, token, page);
            documentIds.put(page.name(), document.get("id").asString());
            chunks += document.get("chunk_count").asLong();
            if (documentIds.size() % 25 == 0) {
                System.out.printf("  %d files, %d chunks ingested (%.0f s)%n", documentIds.size(), chunks, (System.nanoTime() - started) / 1e9);
            }
        }
        System.out.printf("ingested %d files, %d chunks in %.0f s%n", corpus.pages().size(), chunks, (System.nanoTime() - started) / 1e9);
        return chunks;
    }

    /** On a loaded machine Chroma may miss a deadline: a 503 is retried, as a user would, after its retry_after. */
    private static JsonNode uploadRetried(BenchApi api, FreshToken token, RetrievalCorpus.Page page) {
        for (int attempt = 1; ; attempt++) {
            try {
                return api.upload(token.get(), page.upload(), contentType(page.upload()));
            } catch (IllegalStateException e) {
                if (attempt == 5 || e.getMessage() == null || !e.getMessage().contains(" answered 503")) {
                    throw e;
                }
                System.out.printf("  %s answered 503 (attempt %d), again in 10 s%n", page.name(), attempt);
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static Map<String, Object> setup(RetrievalCorpus corpus, Map<String, String> formats, long chunks,
            QuestionSet questions, Options options) {
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("corpus", Map.of("files", corpus.pages().size(), "bytes", corpus.bytes(), "chunks", chunks,
                "formats", count(formats.values())));
        setup.put("questions", Map.of("in_corpus", questions.inCorpus().size(),
                "in_corpus_by_kind", count(questions.inCorpus().stream().map(QuestionSet.Question::kind).toList()),
                "off_topic", questions.offTopic().size(), "near_misses", questions.nearMisses().size(),
                "follow_ups", questions.followUps().size()));
        setup.put("top_k", RetrievalEvaluator.TOP_K);
        setup.put("seed", options.seed());
        setup.put("settings", options.settings());
        return setup;
    }

    private static Map<String, Long> count(java.util.Collection<String> values) {
        return values.stream().collect(Collectors.groupingBy(value -> value, java.util.TreeMap::new, Collectors.counting()));
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String contentType(Path file) {
        return switch (extension(file)) {
            case "html" -> "text/html";
            case "md" -> "text/markdown";
            case "pdf" -> "application/pdf";
            case "docx" -> "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            default -> "text/plain";
        };
    }

    /**
     * {@code variants}: settings read at question time, each tried in every mode on the one ingestion (one empty
     * variant when none is given). {@code reuse}: keep the ingested database and Chroma for the next run, and reuse
     * the kept ones when the corpus and the ingestion's settings are the same.
     */
    record Options(List<String> modes, Map<String, String> settings, List<Map<String, String>> variants, long seed, int questions,
            int followUps, boolean listQuestions, boolean reuse) {

        static Options parse(String[] args) {
            List<String> modes = List.of("hybrid", "vector", "keyword");
            Map<String, String> settings = new LinkedHashMap<>();
            long seed = 14;
            int questions = 250;
            int followUps = 40;
            boolean listQuestions = false;
            boolean reuse = false;
            List<Map<String, String>> variants = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--modes" -> modes = List.of(args[++i].split(","));
                    case "--set" -> put(settings, args[++i]);
                    case "--variant" -> {
                        Map<String, String> variant = new LinkedHashMap<>();
                        for (String setting : args[++i].split(",")) {
                            put(variant, setting);
                        }
                        variant.keySet().stream().filter(name -> !KeptIngestion.questionTime(name)).findFirst().ifPresent(name -> {
                            throw new IllegalArgumentException("--variant takes settings read at question time (docqa.retrieval.*,"
                                    + " docqa.chat.*), not " + name + ": use --set");
                        });
                        variants.add(variant);
                    }
                    case "--reuse" -> reuse = true;
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--questions" -> questions = Integer.parseInt(args[++i]);
                    case "--follow-ups" -> followUps = Integer.parseInt(args[++i]);
                    case "--list-questions" -> listQuestions = true;
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; options: --modes hybrid,vector,keyword, --set docqa.name=value (repeatable), --seed 14,"
                            + " --questions 250, --follow-ups 40, --list-questions (print them and stop),"
                            + " --variant docqa.name=value,docqa.other=value (repeatable), --reuse");
                }
            }
            if (variants.isEmpty()) {
                variants.add(Map.of());
            }
            return new Options(modes, settings, variants, seed, questions, followUps, listQuestions, reuse);
        }

        private static void put(Map<String, String> settings, String given) {
            String[] setting = given.split("=", 2);
            if (setting.length != 2 || !setting[0].startsWith("docqa.")) {
                throw new IllegalArgumentException("--set and --variant take docqa.name=value, not " + given);
            }
            settings.put(setting[0], setting[1]);
        }
    }
}
