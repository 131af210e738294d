package io.docqa.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.docqa.support.FakeOllama;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SIGTERM to a service with three answers and an upload streaming: it reports not-ready at once, serves on for the
 * drain period, then ends every stream with an {@code error} event ({@code shutting_down}, a retry hint) and exits.
 */
final class ShutdownFault {

    private static final Duration DRAIN = Duration.ofSeconds(5);
    private static final int ANSWERS = 3;

    private final FakeOllama ollama;
    private final FaultDrill.FaultReport report;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ShutdownFault(FakeOllama ollama, FaultDrill.FaultReport report) {
        this.ollama = ollama;
        this.report = report;
    }

    void run() throws Exception {
        ollama.reset().tokenDelay(Duration.ofMillis(100)).answer(IntStream.range(0, 300).mapToObj(i -> " word" + i).toArray(String[]::new));
        ExecutorService readers = Executors.newCachedThreadPool();
        Path big = Files.createTempFile("faults-", ".txt");
        Files.writeString(big, "Refunds are granted within thirty days of purchase, the handbook says. ".repeat(60_000)); // 4 MB
        String token;
        String uploadName = big.getFileName().toString();
        try (ServiceProcess service = ServiceProcess.start("faults-shutdown", ollama.baseUrl(), List.of("-Xmx512m"),
                Map.of("DOCQA_SHUTDOWN_DRAIN_PERIOD", DRAIN.toSeconds() + "s"))) {
            BenchApi api = new BenchApi(service.baseUrl());
            FaultDrill.Client client = new FaultDrill.Client(service.baseUrl());
            token = api.signup("shutdown-drill");
            Path small = Files.createTempFile("faults-", ".txt");
            Files.writeString(small, "Refunds are granted within 30 days of purchase.\n");
            api.upload(token, small);
            Files.delete(small);

            CountDownLatch streaming = new CountDownLatch(ANSWERS + 1);
            List<Future<Stream>> streams = new ArrayList<>();
            for (int i = 0; i < ANSWERS; i++) {
                HttpRequest.Builder chat = HttpRequest.newBuilder(java.net.URI.create(service.baseUrl() + "/api/v1/chat"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"What is the refund policy?\",\"min_score\":0}"));
                streams.add(readers.submit(() -> read(chat, "token", streaming)));
            }
            HttpRequest.Builder upload = api.uploadRequest(token, big, "text/plain").header("Accept", "text/event-stream");
            streams.add(readers.submit(() -> read(upload, "progress", streaming)));
            report.check("shutdown", "three answers and an upload are streaming", streaming.await(3, TimeUnit.MINUTES), true);

            long signalled = System.nanoTime();
            service.terminate();
            long notReady = client.awaitStatus("/actuator/health/readiness", 503, Duration.ofSeconds(5));
            report.check("shutdown", "SIGTERM: readiness answers 503 at once (" + notReady + " ms)", notReady >= 0 && notReady < 3000, true);
            report.check("shutdown", "... while requests are still served", client.get("/api/v1/documents", token).status(), 200);

            for (int i = 0; i < streams.size(); i++) {
                Stream stream = streams.get(i).get(2, TimeUnit.MINUTES);
                long endedAfter = (stream.endedAt() - signalled) / 1_000_000;
                String what = i < ANSWERS ? "answer " + (i + 1) : "upload";
                report.check("shutdown", what + " ended after the drain (" + endedAfter + " ms) with an error event",
                        "error".equals(stream.lastEvent()) && endedAfter >= DRAIN.toMillis() - 500, true);
                report.check("shutdown", "... code shutting_down, retry_after and an SSE retry: field",
                        stream.lastData().contains("\"shutting_down\"") && stream.lastData().contains("\"retry_after\"")
                                && stream.retryField(), true);
            }
            report.check("shutdown", "the process exits", service.awaitExit(Duration.ofSeconds(45)), true);
        }
        finally {
            readers.shutdownNow();
            Files.delete(big);
        }
        try (ServiceProcess again = ServiceProcess.start("faults-shutdown-again", ollama.baseUrl(), List.of("-Xmx512m"), Map.of())) {
            FaultDrill.Client client = new FaultDrill.Client(again.baseUrl());
            JsonMapper json = JsonMapper.shared();
            int kept = 0;
            for (JsonNode conversation : json.readTree(client.get("/api/v1/conversations", token).body()).get("items")) {
                JsonNode messages = json.readTree(client.get("/api/v1/conversations/" + conversation.get("id").asString(), token)
                        .body()).get("messages");
                JsonNode last = messages.get(messages.size() - 1);
                kept += "assistant".equals(last.get("role").asString()) && last.get("content").asString().contains("word") ? 1 : 0;
            }
            report.check("shutdown", "each cut answer is kept in its conversation with what was generated", kept, ANSWERS);
            JsonNode documents = json.readTree(client.get("/api/v1/documents", token).body());
            for (JsonNode document : documents.get("items")) {
                if (uploadName.equals(document.get("filename").asString())) {
                    report.note("shutdown", "the cut upload after a restart: status " + document.get("status").asString()
                            + ", chunk_count " + document.get("chunk_count") + ", error " + document.get("error"));
                    report.check("shutdown", "... is not left ready with part of its chunks",
                            "ready".equals(document.get("status").asString()), false);
                }
            }
        }
    }

    /** Reads an event stream to its end; counts down {@code started} at the first event named {@code first}. */
    private Stream read(HttpRequest.Builder request, String first, CountDownLatch started) throws IOException, InterruptedException {
        HttpResponse<java.util.stream.Stream<String>> response = http.send(request.timeout(Duration.ofMinutes(3)).build(),
                HttpResponse.BodyHandlers.ofLines());
        String event = null;
        String data = null;
        boolean retry = false;
        boolean counted = false;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
                retry = false;
                if (!counted && first.equals(event)) {
                    counted = true;
                    started.countDown();
                }
            }
            else if (line.startsWith("data:")) {
                data = line.substring(5);
            }
            else if (line.startsWith("retry:")) {
                retry = true;
            }
        }
        return new Stream(event, data == null ? "" : data, retry, System.nanoTime());
    }

    record Stream(String lastEvent, String lastData, boolean retryField, long endedAt) {
    }
}
