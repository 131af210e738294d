package io.docqa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

/**
 * The many-small-files part of {@link IngestionBenchmark}: real pages of a manual ({@code .ci/small-files-corpus.sh},
 * HTML of the Python documentation), uploaded as a client uploads a folder: {@code filesPerRequest} files per request,
 * {@code requestsAtOnce} requests under way at any time (the next starts as soon as one ends). The uploads are timed
 * from the first byte sent to the last answer, then (the service idle) the same chunk texts are embedded raw by
 * {@code raw}, which returns the time it took.
 */
record SmallFilesIngestion(List<Path> pages, int filesPerRequest, int requestsAtOnce) {

    static List<Path> corpus(int limit) {
        Path dir = Path.of("target", "bench", "small-files-corpus");
        try {
            Process process = new ProcessBuilder("bash", ".ci/small-files-corpus.sh", dir.toString()).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(".ci/small-files-corpus.sh failed");
            }
            try (Stream<Path> files = Files.list(dir.resolve("upload"))) {
                return files.sorted().limit(limit).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result run(BenchApi api, String token, long servicePid, ToLongFunction<List<String>> raw) throws Exception {
        List<List<Path>> requests = new ArrayList<>();
        for (int from = 0; from < pages.size(); from += filesPerRequest) {
            requests.add(pages.subList(from, Math.min(pages.size(), from + filesPerRequest)));
        }
        ExecutorService clients = Executors.newFixedThreadPool(requestsAtOnce);
        try {
            CpuUse before = CpuUse.take(servicePid);
            long started = System.nanoTime();
            List<Future<List<JsonNode>>> answers = new ArrayList<>();
            for (List<Path> request : requests) {
                answers.add(clients.submit(() -> api.uploadAll(token, request, "text/html")));
            }
            List<JsonNode> documents = new ArrayList<>();
            for (Future<List<JsonNode>> answer : answers) {
                documents.addAll(answer.get());
            }
            long uploadNanos = System.nanoTime() - started;
            CpuUse cpu = CpuUse.take(servicePid).since(before);
            List<String> texts = new ArrayList<>();
            long ready = 0;
            for (JsonNode document : documents) {
                if ("ready".equals(document.get("status").asString())) {
                    ready++;
                    texts.addAll(api.chunkTexts(token, document.get("id").asString()));
                }
            }
            Thread.sleep(2000); // Chroma indexes in the background for a moment after the last add
            Result result = new Result(pages.size(), ready, texts.size(), uploadNanos, raw.applyAsLong(texts), cpu);
            System.out.printf("small files: %s%n", result.describe());
            return result;
        } finally {
            clients.shutdownNow();
        }
    }

    record Result(long files, long ready, long chunks, long uploadNanos, long rawNanos, CpuUse cpu) {

        Result plus(Result other) {
            return new Result(files + other.files, ready + other.ready, chunks + other.chunks, uploadNanos + other.uploadNanos,
                    rawNanos + other.rawNanos, cpu.plus(other.cpu));
        }

        String describe() {
            return String.format("%d files (%d ready), %d chunks, pipeline %.1f chunks/s, raw %.1f chunks/s, %.1f %%", files, ready,
                    chunks, chunks / (uploadNanos / 1e9), chunks / (rawNanos / 1e9), 100.0 * rawNanos / uploadNanos);
        }
    }
}
