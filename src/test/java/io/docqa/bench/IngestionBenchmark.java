package io.docqa.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.docqa.ai.Embedder;
import io.docqa.support.FakeOllama;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * Ingestion throughput through the HTTP API against the raw throughput of the same embedding model, and the heap of
 * the service (capped at 192 MB) while it ingests a large file. Run with {@code bash .ci/bench-ingestion.sh}.
 *
 * <ol>
 * <li>The service jar starts in its own JVM with {@code -Xmx192m} against a fresh PostgreSQL database and Chroma.</li>
 * <li>A generated corpus of {@code --corpus-mb} MB in {@code --files} text files is uploaded one file after another;
 * chunks/s and MB/s are from the first byte sent to the last answer.</li>
 * <li>While the service idles, the same chunk texts are embedded in this JVM by the service's {@link Embedder} (one
 * ONNX session per core, nothing else running): the raw throughput.</li>
 * <li>A {@code --large-mb} MB file is uploaded; it must end {@code ready}. The peak heap is sampled throughout.</li>
 * <li>The service stops and the raw throughput is measured once more; the ratio is taken against the higher one.</li>
 * </ol>
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
        Path warmUp = Corpus.write(dir.resolve("warm-up.txt"), 200_000, 7);
        long corpusBytes = 0;
        for (Path file : files) {
            corpusBytes += Files.size(file);
        }

        List<String> chunkTexts = new ArrayList<>();
        double rawBetween;
        long chunks = 0;
        double seconds;
        long corpusPeakHeap;
        long largePeakHeap = -1;
        long largeChunks = 0;
        double largeSeconds = 0;
        long peakRss;
        try (FakeOllama ollama = FakeOllama.start();
                ServiceProcess service = ServiceProcess.start("ingestion-service", ollama.baseUrl(),
                        List.of("-Xmx192m", "-XX:+ExitOnOutOfMemoryError"),
                        Map.of("DOCQA_UPLOAD_MAX_FILE_SIZE", "64MB"));
                MetricsSampler metrics = new MetricsSampler(service.baseUrl())) {
            BenchApi api = new BenchApi(service.baseUrl());
            String token = api.signup("ingestion benchmark");
            api.upload(token, warmUp);
            System.out.printf("service up, model warm; corpus %d files, %.1f MB%n", files.size(), corpusBytes / 1e6);

            metrics.reset();
            List<String> ids = new ArrayList<>();
            long started = System.nanoTime();
            for (Path file : files) {
                JsonNode document = api.upload(token, file);
                chunks += document.get("chunk_count").asLong();
                ids.add(document.get("id").asString());
            }
            seconds = (System.nanoTime() - started) / 1e9;
            corpusPeakHeap = metrics.peakHeapBytes();
            for (String id : ids) {
                chunkTexts.addAll(api.chunkTexts(token, id));
            }
            System.out.printf("corpus ingested: %d chunks in %.1f s%n", chunks, seconds);
            rawBetween = rawThroughput(chunkTexts);
            System.out.printf("raw embedding while the service idles: %.1f chunks/s%n", rawBetween);

            if (large != null) {
                metrics.reset();
                long largeStarted = System.nanoTime();
                JsonNode document = api.upload(token, large);
                largeSeconds = (System.nanoTime() - largeStarted) / 1e9;
                largeChunks = document.get("chunk_count").asLong();
                largePeakHeap = metrics.peakHeapBytes();
                System.out.printf("large file ingested: %d chunks in %.1f s%n", largeChunks, largeSeconds);
            }
            peakRss = service.peakResidentBytes();
        }

        double rawAfter = rawThroughput(chunkTexts);
        double rawChunksPerSecond = Math.max(rawBetween, rawAfter);
        double chunksPerSecond = chunks / seconds;
        System.out.println();
        System.out.println("== ingestion benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)");
        System.out.printf("corpus                 %.2f MB in %d text files, %d chunks%n", corpusBytes / 1e6, files.size(), chunks);
        System.out.printf("through the HTTP API   %.1f chunks/s, %.3f MB/s (%.1f s)%n", chunksPerSecond, corpusBytes / 1e6 / seconds, seconds);
        System.out.printf("raw embedding          %.1f chunks/s (same texts, same model, nothing else running; %.1f between the"
                + " uploads, %.1f after the service stopped)%n", rawChunksPerSecond, rawBetween, rawAfter);
        System.out.printf("pipeline / raw         %.1f %%  (target >= 85 %%)%n", 100 * chunksPerSecond / rawChunksPerSecond);
        System.out.printf("peak heap, corpus      %.0f MB of -Xmx192m%n", corpusPeakHeap / 1e6);
        if (large != null) {
            System.out.printf("large file             %.1f MB, %d chunks, ready in %.1f s (%.1f chunks/s)%n",
                    Files.size(large) / 1e6, largeChunks, largeSeconds, largeChunks / largeSeconds);
            System.out.printf("peak heap, large file  %.0f MB of -Xmx192m%n", largePeakHeap / 1e6);
        }
        System.out.printf("peak RSS of service    %.0f MB%n", peakRss / 1e6);
        System.exit(0);
    }

    /** Every text through the service's embedder, two waiting per thread so that no core is ever idle. */
    private static double rawThroughput(List<String> texts) {
        try (Embedder embedder = new Embedder()) {
            int inFlight = 2 * Runtime.getRuntime().availableProcessors();
            Flux.fromIterable(texts.subList(0, Math.min(64, texts.size()))).flatMap(embedder::embed, inFlight).blockLast();
            long started = System.nanoTime();
            Flux.fromIterable(texts).flatMap(embedder::embed, inFlight).blockLast();
            return texts.size() / ((System.nanoTime() - started) / 1e9);
        }
    }

    record Options(long corpusBytes, int files, long largeBytes) {

        static Options parse(String[] args) {
            double corpusMb = 4;
            int files = 4;
            double largeMb = 20;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--corpus-mb" -> corpusMb = Double.parseDouble(args[++i]);
                    case "--files" -> files = Integer.parseInt(args[++i]);
                    case "--large-mb" -> largeMb = Double.parseDouble(args[++i]);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; options: --corpus-mb N (4), --files N (4), --large-mb N (20, 0 to skip)");
                }
            }
            return new Options((long) (corpusMb * 1_000_000), files, (long) (largeMb * 1_000_000));
        }
    }
}
