package io.docqa.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.docqa.ai.Embedder;
import io.docqa.ai.EmbeddingModel;
import io.docqa.support.FakeOllama;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * Ingestion throughput through the HTTP API against the raw throughput of the same embedding model, and the heap of
 * the service (capped at 192 MB) while it ingests a large file. Run with {@code bash .ci/bench.sh IngestionBenchmark}.
 *
 * <ol>
 * <li>The service jar starts in its own JVM with {@code -Xmx192m} against a fresh PostgreSQL database and Chroma, and
 * is warmed up with {@code --warm-up-mb} MB of uploads (its JIT compiler is then mostly done).</li>
 * <li>A generated corpus of {@code --corpus-mb} MB in {@code --files} text files is uploaded one file after another;
 * chunks/s and MB/s are from the first byte sent to the answer, summed over the files. Where the machine's CPU went
 * meanwhile is read from {@code /proc}.</li>
 * <li>Right after each upload, while the service idles, the same chunk texts are embedded in this JVM by the
 * service's {@link Embedder} (one ONNX session per core, nothing else running): the raw throughput. Taking the two in
 * turn, file by file, keeps the drift of a shared machine's speed out of their ratio.</li>
 * <li>Many small files ({@link SmallFilesIngestion}): up to {@code --small-files} real pages of a manual (HTML of a few KB
 * of text each, from Debian's python3-doc), {@code --files-per-request} per request and {@code --requests-at-once}
 * requests under way at a time, the next starting as soon as one ends; then the raw embedding of their chunk texts as
 * above. The pages are first uploaded {@code --small-warm-ups} times to tenants of their own, unmeasured, so that the
 * HTML path is compiled too (the JIT compiler is then past most of its work on it: measured after one warm-up it
 * still took 7-8 % of the service's CPU).</li>
 * <li>A {@code --large-mb} MB file is uploaded; it must end {@code ready}.</li>
 * </ol>
 * Peak heaps are read from the service's GC log, which costs it nothing, rather than by polling its metrics.
 */
public final class IngestionBenchmark {

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path dir = Path.of("target", "bench", "corpus");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < options.files(); i++) {
            files.add(Corpus.write(dir.resolve("corpus-" + i + ".txt"), options.corpusBytes() / options.files(), 1000 + i));
        }
        Path large = options.largeBytes() > 0 ? Corpus.write(dir.resolve("large.txt"), options.largeBytes(), 42) : null;
        List<Path> warmUp = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            warmUp.add(Corpus.write(dir.resolve("warm-up-" + i + ".txt"), options.warmUpBytes() / 2, 7 + i));
        }
        Path gcLogFile = Path.of("target", "bench", "ingestion-service-gc.log").toAbsolutePath();
        Files.deleteIfExists(gcLogFile);
        List<Path> smallPages = options.smallFiles() > 0 ? SmallFilesIngestion.corpus(options.smallFiles()) : List.of();
        SmallFilesIngestion.Result small = null;
        String loadBefore = loadAverage();
        long corpusBytes = 0;
        for (Path file : files) {
            corpusBytes += Files.size(file);
        }

        long chunks = 0;
        long pipelineNanos = 0;
        long rawNanos = 0;
        List<String> perFile = new ArrayList<>();
        long corpusPeakHeap;
        long largePeakHeap = -1;
        long largeChunks = 0;
        double largeSeconds = 0;
        long peakRss;
        CpuUse cpu = new CpuUse(0, 0, 0, 0, 0);
        GcLog gc = new GcLog(gcLogFile);
        try (FakeOllama ollama = FakeOllama.start();
                ServiceProcess service = ServiceProcess.start("ingestion-service", ollama.baseUrl(),
                        List.of("-Xmx192m", "-XX:+ExitOnOutOfMemoryError", GcLog.option(gcLogFile)),
                        Map.of("DOCQA_UPLOAD_MAX_FILE_SIZE", "64MB",
                                "DOCQA_UPLOAD_MAX_PARTS", Integer.toString(Math.max(10, options.filesPerRequest())),
                                "DOCQA_EMBEDDING_MODEL", options.model().id()));
                Embedder raw = new Embedder(options.model())) {
            BenchApi api = new BenchApi(service.baseUrl());
            String token = api.signup("ingestion benchmark");
            List<String> warmUpTexts = new ArrayList<>();
            for (Path file : warmUp) {
                warmUpTexts.addAll(api.chunkTexts(token, api.upload(token, file).get("id").asString()));
            }
            embedAll(raw, warmUpTexts.subList(0, Math.min(256, warmUpTexts.size())));
            System.out.printf("service up and warm; corpus %d files, %.1f MB%n", files.size(), corpusBytes / 1e6);

            gc.reset();
            for (Path file : files) {
                CpuUse before = CpuUse.take(service.pid());
                long started = System.nanoTime();
                JsonNode document = api.upload(token, file);
                long uploadNanos = System.nanoTime() - started;
                cpu = cpu.plus(CpuUse.take(service.pid()).since(before));
                List<String> texts = api.chunkTexts(token, document.get("id").asString());
                Thread.sleep(2000); // Chroma indexes in the background for a moment after the last add
                long fileRawNanos = embedAll(raw, texts);
                chunks += texts.size();
                pipelineNanos += uploadNanos;
                rawNanos += fileRawNanos;
                String line = String.format("%s: %d chunks, pipeline %.1f chunks/s, raw %.1f chunks/s, %.1f %%",
                        file.getFileName(), texts.size(), texts.size() / (uploadNanos / 1e9), texts.size() / (fileRawNanos / 1e9),
                        100.0 * fileRawNanos / uploadNanos);
                perFile.add(line);
                System.out.println(line);
            }
            corpusPeakHeap = gc.peakHeapBytes();

            if (!smallPages.isEmpty()) {
                System.out.printf("small files: %d pages, %.1f MB of HTML, load average %s%n", smallPages.size(),
                        bytes(smallPages) / 1e6, loadAverage());
                // cold, the JIT compiler took a seventh of the service's CPU during the pages
                for (int round = 1; round <= options.smallWarmUps(); round++) {
                    new SmallFilesIngestion(smallPages, options.filesPerRequest(), options.requestsAtOnce())
                            .run(api, api.signup("ingestion benchmark, pages to warm up " + round), service.pid(), texts -> 0L);
                }
                System.out.printf("small files: warmed up with the %d pages in a tenant of their own, %d times%n", smallPages.size(),
                        options.smallWarmUps());
                small = new SmallFilesIngestion(smallPages, options.filesPerRequest(), options.requestsAtOnce())
                        .run(api, token, service.pid(), texts -> embedAll(raw, texts));
            }

            if (large != null) {
                gc.reset();
                long largeStarted = System.nanoTime();
                JsonNode document = api.upload(token, large);
                largeSeconds = (System.nanoTime() - largeStarted) / 1e9;
                largeChunks = document.get("chunk_count").asLong();
                largePeakHeap = gc.peakHeapBytes();
                System.out.printf("large file ingested: %d chunks in %.1f s%n", largeChunks, largeSeconds);
            }
            peakRss = service.peakResidentBytes();
        }

        double seconds = pipelineNanos / 1e9;
        double chunksPerSecond = chunks / seconds;
        System.out.println();
        System.out.println("== ingestion benchmark (" + options.model().id() + ", " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + loadBefore + " before, " + loadAverage() + " after)");
        System.out.printf("corpus                 %.2f MB in %d text files, %d chunks%n", corpusBytes / 1e6, files.size(), chunks);
        System.out.printf("through the HTTP API   %.1f chunks/s, %.3f MB/s (%.1f s)%n", chunksPerSecond, corpusBytes / 1e6 / seconds, seconds);
        System.out.printf("raw embedding          %.1f chunks/s (the same texts by the same embedder in this JVM, each file's"
                + " right after its upload, the service idle)%n", chunks / (rawNanos / 1e9));
        System.out.printf("pipeline / raw         %.1f %%  (target >= 85 %%)%n", 100.0 * rawNanos / pipelineNanos);
        perFile.forEach(line -> System.out.println("  " + line));
        System.out.printf("CPU while ingesting    %s%n", cpu.describe());
        if (small != null) {
            System.out.printf("small files            %d pages (%d ready), %d chunks, %d files per request, %d requests at once%n",
                    small.files(), small.ready(), small.chunks(), options.filesPerRequest(), options.requestsAtOnce());
            System.out.printf("  through the HTTP API %.1f chunks/s, %.1f files/s%n", small.chunks() / (small.uploadNanos() / 1e9),
                    small.files() / (small.uploadNanos() / 1e9));
            System.out.printf("  raw embedding        %.1f chunks/s%n", small.chunks() / (small.rawNanos() / 1e9));
            System.out.printf("  pipeline / raw       %.1f %%  (target >= 85 %%)%n", 100.0 * small.rawNanos() / small.uploadNanos());
            System.out.printf("  CPU while ingesting  %s%n", small.cpu().describe());
        }
        System.out.printf("peak heap, corpus      %.0f MB of -Xmx192m%n", corpusPeakHeap / 1e6);
        if (large != null) {
            System.out.printf("large file             %.1f MB, %d chunks, ready in %.1f s (%.1f chunks/s)%n",
                    Files.size(large) / 1e6, largeChunks, largeSeconds, largeChunks / largeSeconds);
            System.out.printf("peak heap, large file  %.0f MB of -Xmx192m%n", largePeakHeap / 1e6);
        }
        System.out.printf("peak RSS of service    %.0f MB%n", peakRss / 1e6);
        System.exit(0);
    }

    /** Every text through the embedder, two waiting per thread so that no core is ever idle; the time it took. */
    private static long embedAll(Embedder embedder, List<String> texts) {
        int inFlight = 2 * Runtime.getRuntime().availableProcessors();
        long started = System.nanoTime();
        Flux.fromIterable(texts).flatMap(embedder::embed, inFlight).blockLast();
        return System.nanoTime() - started;
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).trim().split(" ")).subList(0, 3));
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static long bytes(List<Path> files) throws java.io.IOException {
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        return total;
    }

    /** {@code model}: the embedding model of the service and of the raw embedding alike. */
    record Options(long corpusBytes, int files, long largeBytes, long warmUpBytes, int smallFiles, int filesPerRequest,
            int requestsAtOnce, int smallWarmUps, EmbeddingModel model) {

        static Options parse(String[] args) {
            double corpusMb = 4;
            int files = 4;
            double largeMb = 20;
            double warmUpMb = 1;
            int smallFiles = 300;
            int filesPerRequest = 25;
            int requestsAtOnce = 2;
            int smallWarmUps = 3;
            EmbeddingModel model = EmbeddingModel.ALL_MINILM_L6_V2_Q;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--corpus-mb" -> corpusMb = Double.parseDouble(args[++i]);
                    case "--files" -> files = Integer.parseInt(args[++i]);
                    case "--large-mb" -> largeMb = Double.parseDouble(args[++i]);
                    case "--warm-up-mb" -> warmUpMb = Double.parseDouble(args[++i]);
                    case "--small-files" -> smallFiles = Integer.parseInt(args[++i]);
                    case "--files-per-request" -> filesPerRequest = Integer.parseInt(args[++i]);
                    case "--requests-at-once" -> requestsAtOnce = Integer.parseInt(args[++i]);
                    case "--small-warm-ups" -> smallWarmUps = Integer.parseInt(args[++i]);
                    case "--model" -> model = model(args[++i]);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; options: --corpus-mb N (4), --files N (4), --large-mb N (20, 0 to skip), --warm-up-mb N (1),"
                            + " --small-files N (300, 0 to skip), --files-per-request N (25), --requests-at-once N (2), --small-warm-ups N (3),"
                            + " --model all-minilm-l6-v2-q|all-minilm-l6-v2 (the product's default first)");
                }
            }
            return new Options((long) (corpusMb * 1_000_000), files, (long) (largeMb * 1_000_000), (long) (warmUpMb * 1_000_000),
                    smallFiles, filesPerRequest, requestsAtOnce, smallWarmUps, model);
        }

        private static EmbeddingModel model(String id) {
            return Arrays.stream(EmbeddingModel.values()).filter(model -> model.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--model takes all-minilm-l6-v2 or all-minilm-l6-v2-q, not " + id));
        }
    }
}
