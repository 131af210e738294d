package io.docqa.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.docqa.support.FakeOllama;

/**
 * Faults done to real processes, each against the packaged service in a JVM of its own, with what a client sees and
 * what state remains checked; prints what it observed and exits 1 if any expectation failed. Not a test that
 * {@code ./mvnw verify} runs: it stops PostgreSQL, mounts tiny file systems and sends SIGTERM.
 * <ul>
 * <li>{@code shutdown}: SIGTERM while answers and an upload stream;</li>
 * <li>{@code postgres}: a private PostgreSQL restarted while the service idles, then stopped and started again;</li>
 * <li>{@code embedder}: {@code java.io.tmpdir} on a 2 MB file system (ONNX Runtime cannot unpack its library);</li>
 * <li>{@code disk}: the spool directory on a small file system that fills up.</li>
 * </ul>
 * The small file systems are tmpfs mounts in a private mount namespace ({@code unshare --user --map-root-user --mount});
 * where that is not allowed, {@code embedder} uses a temporary directory that does not exist and {@code disk} is skipped.
 * Usage: {@code bash .ci/faults.sh [--only shutdown,postgres,embedder,disk]}.
 */
public final class FaultDrill {

    private static final List<String> JVM = List.of("-Xmx512m");

    private final FakeOllama ollama;
    private final FaultReport report = new FaultReport();

    private FaultDrill(FakeOllama ollama) {
        this.ollama = ollama;
    }

    public static void main(String[] args) throws Exception {
        Set<String> only = Set.of("shutdown", "postgres", "embedder", "disk");
        for (int i = 0; i < args.length; i++) {
            if ("--only".equals(args[i])) {
                only = Set.of(args[++i].split(","));
            }
        }
        int failures;
        try (FakeOllama ollama = FakeOllama.start()) {
            FaultDrill drill = new FaultDrill(ollama);
            for (String scenario : List.of("shutdown", "postgres", "embedder", "disk")) {
                if (only.contains(scenario)) {
                    drill.run(scenario);
                }
            }
            failures = drill.report.print();
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    private void run(String scenario) throws Exception {
        System.out.println("== " + scenario);
        try {
            switch (scenario) {
                case "shutdown" -> new ShutdownFault(ollama, report).run();
                case "postgres" -> postgres();
                case "embedder" -> embedder();
                case "disk" -> disk();
                default -> throw new IllegalArgumentException(scenario);
            }
        } catch (Exception | AssertionError e) {
            report.fail(scenario, "aborted: " + e);
            e.printStackTrace();
        }
    }

    /** PostgreSQL restarted under an idle service, then away for a while: 503 + Retry-After, never 500. */
    private void postgres() {
        try (PrivatePostgres postgres = PrivatePostgres.create();
                ServiceProcess service = ServiceProcess.start("faults-postgres", ollama.baseUrl(), JVM, Map.of(
                        "SPRING_R2DBC_URL", postgres.r2dbcUrl(), "SPRING_R2DBC_USERNAME", "postgres", "SPRING_R2DBC_PASSWORD", "",
                        "SPRING_FLYWAY_URL", postgres.jdbcUrl("docqa"), "SPRING_FLYWAY_USER", "postgres", "SPRING_FLYWAY_PASSWORD", ""))) {
            Client client = new Client(service.baseUrl());
            String token = new BenchApi(service.baseUrl()).signup("postgres-drill");
            report.check("postgres", "before: 10 requests answer 200", statuses(client, token, 10), Set.of(200));

            postgres.stop();
            postgres.start();
            report.check("postgres", "after an idle restart: 20 requests answer 200 (dead pooled connections are dropped)",
                    statuses(client, token, 20), Set.of(200));

            postgres.stop();
            List<Client.Answer> during = IntStream.range(0, 20).mapToObj(i -> client.get("/api/v1/documents", token)).toList();
            report.check("postgres", "while PostgreSQL is down: every request answers 503",
                    during.stream().map(Client.Answer::status).collect(Collectors.toSet()), Set.of(503));
            report.check("postgres", "... with code database_unavailable and Retry-After",
                    during.stream().allMatch(answer -> answer.body().contains("\"database_unavailable\"") && answer.retryAfter() != null),
                    true);
            long slowest = during.stream().mapToLong(Client.Answer::millis).max().orElse(0);
            report.check("postgres", "... within 15 s each (slowest " + slowest + " ms)", slowest < 15_000, true);
            report.check("postgres", "... and readiness answers 503", client.get("/actuator/health/readiness", null).status(), 503);

            postgres.start();
            long back = client.awaitStatus("/actuator/health/readiness", 200, Duration.ofSeconds(60));
            report.check("postgres", "PostgreSQL started again: ready again (after " + back + " ms)", back >= 0, true);
            report.check("postgres", "... and 10 requests answer 200", statuses(client, token, 10), Set.of(200));
        }
    }

    /** ONNX Runtime cannot unpack its native library: not ready, and requests that need the model answer 503 at once. */
    private void embedder() throws IOException {
        TinyVolume tmp = TinyVolume.of("2m");
        try (ServiceProcess service = ServiceProcess.start("faults-embedder", tmp.wrapper(), ollama.baseUrl(),
                List.of("-Xmx512m", "-Djava.io.tmpdir=" + tmp.path()), Map.of(), "liveness")) {
            Client client = new Client(service.baseUrl());
            report.note("embedder", "java.io.tmpdir: " + tmp.describe());
            String token = new BenchApi(service.baseUrl()).signup("embedder-drill");
            Client.Answer readiness = client.get("/actuator/health/readiness", null);
            report.check("embedder", "readiness answers 503", readiness.status(), 503);
            report.check("embedder", "... naming the embedder down", readiness.body().replace(" ", "")
                    .contains("\"embedder\":{\"status\":\"DOWN\""), true);
            Client.Answer chat = client.postJson("/api/v1/chat", token, "{\"question\":\"What is the refund policy?\"}");
            report.check("embedder", "a question answers 503 embedder_unavailable with Retry-After (" + chat.millis() + " ms)",
                    chat.status() == 503 && chat.body().contains("embedder_unavailable") && chat.retryAfter() != null, true);
            report.check("embedder", "... at once, not after minutes", chat.millis() < 10_000, true);
            Path file = Files.createTempFile("faults-", ".txt");
            Files.writeString(file, "Refunds are granted within 30 days of purchase.\n");
            Client.Answer upload = client.send(new BenchApi(service.baseUrl()).uploadRequest(token, file, "text/plain"));
            Files.delete(file);
            report.check("embedder", "an upload answers 503 embedder_unavailable (" + upload.millis() + " ms)",
                    upload.status() == 503 && upload.body().contains("embedder_unavailable"), true);
            report.check("embedder", "requests that need no model still answer 200",
                    client.get("/api/v1/documents", token).status(), 200);
            report.check("embedder", "liveness stays 200", client.get("/actuator/health/liveness", null).status(), 200);
        }
        finally {
            tmp.close();
        }
    }

    /** The spool's file system fills up: readiness says so, an upload answers 507, and all is well once space is back. */
    private void disk() throws IOException {
        TinyVolume spool = TinyVolume.of("24m");
        if (!spool.mounted()) {
            report.note("disk", "skipped: no private mount namespace here (unshare --user --mount not allowed)");
            return;
        }
        try (ServiceProcess service = ServiceProcess.start("faults-disk", spool.wrapper(), ollama.baseUrl(), JVM,
                Map.of("DOCQA_UPLOAD_SPOOL_DIR", spool.path().toString(), "MANAGEMENT_HEALTH_DISKSPACE_THRESHOLD", "8MB"),
                "readiness")) {
            Client client = new Client(service.baseUrl());
            BenchApi api = new BenchApi(service.baseUrl());
            String token = api.signup("disk-drill");
            Path filler = Path.of("/proc", Long.toString(service.pid()), "root").resolve(spool.path().toString().substring(1))
                    .resolve("filler");
            Files.write(filler, new byte[18 * 1024 * 1024]);
            report.check("disk", "6 MB left of 24 MB (threshold 8 MB): readiness answers 503",
                    client.awaitStatus("/actuator/health/readiness", 503, Duration.ofSeconds(10)) >= 0, true);

            Path big = Files.createTempFile("faults-", ".txt");
            Files.writeString(big, "Refunds are granted within thirty days of purchase. ".repeat(200_000)); // 10 MB
            Client.Answer full = client.send(api.uploadRequest(token, big, "text/plain"));
            Files.delete(big);
            report.check("disk", "a 10 MB upload answers 507 insufficient_storage", full.status() == 507
                    && full.body().contains("insufficient_storage"), true);
            report.note("disk", "what remains of it: " + client.get("/api/v1/documents", token).body());

            Files.delete(filler);
            report.check("disk", "space back: readiness answers 200",
                    client.awaitStatus("/actuator/health/readiness", 200, Duration.ofSeconds(10)) >= 0, true);
            Path small = Files.createTempFile("faults-", ".txt");
            Files.writeString(small, "Refunds are granted within thirty days of purchase.\n");
            Client.Answer after = client.send(api.uploadRequest(token, small, "text/plain"));
            Files.delete(small);
            report.check("disk", "... and an upload is indexed", after.status() == 201 && after.body().contains("\"ready\""), true);
        }
        finally {
            spool.close();
        }
    }

    private static Set<Integer> statuses(Client client, String token, int requests) {
        return IntStream.range(0, requests).mapToObj(i -> client.get("/api/v1/documents", token).status()).collect(Collectors.toSet());
    }

    /** A small HTTP client: status, body, Retry-After and time of each answer. */
    static final class Client {

        record Answer(int status, String body, String retryAfter, long millis) {
        }

        private final String baseUrl;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        Client(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        Answer get(String path, String token) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
            return send(token == null ? request : request.header("Authorization", "Bearer " + token));
        }

        Answer postJson(String path, String token, String json) {
            return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)));
        }

        Answer send(HttpRequest.Builder request) {
            long started = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request.timeout(Duration.ofMinutes(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return new Answer(response.statusCode(), response.body(),
                        response.headers().firstValue("Retry-After").orElse(null), (System.nanoTime() - started) / 1_000_000);
            } catch (IOException e) {
                return new Answer(-1, e.toString(), null, (System.nanoTime() - started) / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Milliseconds until {@code path} answered {@code status}, or -1 if it did not within {@code timeout}. */
        long awaitStatus(String path, int status, Duration timeout) {
            long started = System.nanoTime();
            while (System.nanoTime() - started < timeout.toNanos()) {
                if (get(path, null).status() == status) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
                ServiceProcess.sleep(100);
            }
            return -1;
        }
    }

    /** What was expected and what was seen, per scenario. */
    static final class FaultReport {

        private final List<String> lines = new ArrayList<>();
        private int failures;

        void check(String scenario, String expectation, Object seen, Object expected) {
            boolean ok = expected.equals(seen);
            failures += ok ? 0 : 1;
            String line = (ok ? "  ok    " : "  FAIL  ") + scenario + ": " + expectation + (ok ? "" : " (seen " + seen + ", expected " + expected + ")");
            lines.add(line);
            System.out.println(line);
        }

        void note(String scenario, String text) {
            String line = "        " + scenario + ": " + text;
            lines.add(line);
            System.out.println(line);
        }

        void fail(String scenario, String text) {
            check(scenario, text, false, true);
        }

        int print() {
            System.out.println();
            System.out.println("Fault drill: " + (failures == 0 ? "every expectation held" : failures + " expectation(s) failed"));
            lines.forEach(System.out::println);
            return failures;
        }
    }
}
