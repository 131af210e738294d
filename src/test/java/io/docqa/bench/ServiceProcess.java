package io.docqa.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.docqa.support.ChromaServer;
import io.docqa.support.TestDatabase;
import io.docqa.support.TestRedis;

/**
 * The service as a benchmark measures it: the packaged jar in a JVM of its own (its heap capped by the benchmark),
 * against a fresh PostgreSQL database, a real Chroma and an Ollama at {@code ollamaUrl}; its log goes to
 * {@code target/bench/<name>.log}.
 */
final class ServiceProcess implements AutoCloseable {

    private static final String SCRAPE_TOKEN = UUID.randomUUID().toString();

    private final Process process;
    private final String baseUrl;
    private final Path log;

    private ServiceProcess(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    static ServiceProcess start(String name, String ollamaUrl, List<String> jvmOptions, Map<String, String> settings) {
        return start(name, List.of(), ollamaUrl, jvmOptions, settings, "readiness");
    }

    /**
     * Runs the service's JVM under {@code wrapper} (a command that ends by running its arguments, such as
     * {@code unshare ...}), and waits until {@code /actuator/health/<probe>} answers 200 ({@code liveness} for a
     * service that is expected not to become ready).
     */
    static ServiceProcess start(String name, List<String> wrapper, String ollamaUrl, List<String> jvmOptions,
            Map<String, String> settings, String probe) {
        return start(name, jar(), wrapper, TestDatabase.get(), ChromaServer.get().url(), ollamaUrl, jvmOptions, settings, probe);
    }

    /** On the given database and Chroma (say, ones kept between runs) instead of this JVM's fresh ones. */
    static ServiceProcess start(String name, TestDatabase database, String chromaUrl, String ollamaUrl, List<String> jvmOptions,
            Map<String, String> settings) {
        return start(name, jar(), List.of(), database, chromaUrl, ollamaUrl, jvmOptions, settings, "readiness");
    }

    /** Runs {@code jar} (another build of the service, say one from before a change) instead of the packaged one. */
    static ServiceProcess start(String name, Path jar, List<String> wrapper, String ollamaUrl, List<String> jvmOptions,
            Map<String, String> settings, String probe) {
        return start(name, jar, wrapper, TestDatabase.get(), ChromaServer.get().url(), ollamaUrl, jvmOptions, settings, probe);
    }

    private static ServiceProcess start(String name, Path jar, List<String> wrapper, TestDatabase database, String chromaUrl,
            String ollamaUrl, List<String> jvmOptions, Map<String, String> settings, String probe) {
        int port = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SPRING_R2DBC_URL", database.r2dbcUrl());
        env.put("SPRING_R2DBC_USERNAME", database.user());
        env.put("SPRING_R2DBC_PASSWORD", database.password());
        env.put("SPRING_FLYWAY_URL", database.jdbcUrl());
        env.put("SPRING_FLYWAY_USER", database.user());
        env.put("SPRING_FLYWAY_PASSWORD", database.password());
        env.put("DOCQA_CHROMA_URL", chromaUrl);
        env.put("DOCQA_OLLAMA_BASE_URL", ollamaUrl);
        env.put("DOCQA_METRICS_SCRAPE_TOKEN", SCRAPE_TOKEN);
        env.put("SPRING_PROFILES_ACTIVE", "dev"); // the development key-encryption key
        env.put("DOCQA_SHUTDOWN_DRAIN_PERIOD", "0s");
        env.put("DOCQA_REDIS_URL", TestRedis.url());
        env.put("DOCQA_REDIS_KEY_PREFIX", TestRedis.keyPrefix() + name + ":");
        // a benchmark is one client making thousands of tenants and questions: the rate limits would only measure themselves
        for (String limit : List.of("SIGNUP_PER_CLIENT", "SIGNUP_PER_ACCOUNT", "LOGIN_PER_CLIENT", "CHAT_PER_CALLER",
                "CHAT_PER_TENANT", "UPLOAD_PER_CALLER", "UPLOAD_PER_TENANT")) {
            env.put("DOCQA_RATE_LIMIT_" + limit + "_CAPACITY", "1000000");
        }
        // nor would the tenants' quotas (a burst of 5,000 answers reserves their output tokens at once)
        for (String quota : List.of("DOCUMENTS", "BYTES", "CHUNKS", "MONTHLY_COMPLETION_TOKENS", "DAILY_QUESTIONS")) {
            env.put("DOCQA_QUOTA_" + quota, "-1");
        }
        env.putAll(settings);
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        String extra = System.getenv("DOCQA_BENCH_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-jar");
        command.add(jar.toString());
        Path log = Path.of("target", "bench", name + ".log");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(env);
            Process process = builder.start();
            ServiceProcess service = new ServiceProcess(process, "http://127.0.0.1:" + port, log);
            Runtime.getRuntime().addShutdownHook(new Thread(service::close));
            service.await(probe, Duration.ofMinutes(15)); // a loaded 2-core machine takes over 2 minutes, at a load of 50 over 5
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    /** What {@code /actuator/prometheus} asks for, as a bearer token. */
    String scrapeToken() {
        return SCRAPE_TOKEN;
    }

    long pid() {
        return process.pid();
    }

    /** The largest resident set of the process so far (VmHWM), in bytes. */
    long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** Sends SIGTERM (a graceful shutdown) and returns at once. */
    void terminate() {
        process.destroy();
    }

    /** Whether the process ended within {@code timeout}. */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Path log() {
        return log;
    }

    private void await(String probe, Duration timeout) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/" + probe))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The service exited while starting; see " + log.toAbsolutePath());
            }
            try {
                if (client.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException("The service was not ready within " + timeout.toSeconds() + " s; see " + log.toAbsolutePath());
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The packaged service, or the jar {@code DOCQA_BENCH_JAR} names (to measure another build, say one from before a change). */
    private static Path jar() {
        String given = System.getenv("DOCQA_BENCH_JAR");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(path -> path.getFileName().toString().matches("docqa-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No target/docqa-*.jar: run ./mvnw -DskipTests package first"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
