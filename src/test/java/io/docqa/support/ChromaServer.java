package io.docqa.support;

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
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.chromadb.ChromaDBContainer;

/**
 * One real Chroma (API v2) per test JVM, started on first use:
 * <ol>
 *   <li>the server named by {@code DOCQA_TEST_CHROMA_URL} (system property or environment variable), if set;</li>
 *   <li>else, where a Docker engine exists, a Testcontainers {@code chromadb/chroma:1.0.0};</li>
 *   <li>else the server from npm through {@code .ci/chroma-local.sh PORT DATA_DIR} (installed on first run),
 *       on a free loopback port with a temporary data folder, stopped when the JVM exits.</li>
 * </ol>
 * The servers this class starts can be {@link #stop() stopped} and {@link #start() started} again on the same port
 * with the same data, for tests of what happens while Chroma is away.
 */
public final class ChromaServer {

    public static final String URL_VARIABLE = "DOCQA_TEST_CHROMA_URL";
    private static final String IMAGE = "chromadb/chroma:1.0.0";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);

    private static ChromaServer instance;

    private final Backend backend;
    private final String url;

    private ChromaServer(Backend backend, String url) {
        this.backend = backend;
        this.url = url;
    }

    public static synchronized ChromaServer get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    /** Whether {@link #stop()} and {@link #start()} work (not for a server given by URL). */
    public boolean restartable() {
        return backend != null;
    }

    /** Kills the server (connections are refused afterwards); its data stays. */
    public synchronized void stop() {
        requireRestartable().stop();
    }

    /** Starts the server again on the same port with the same data, and waits until it answers. */
    public synchronized void start() {
        requireRestartable().start();
        awaitHeartbeat(url, START_TIMEOUT, backend);
    }

    private Backend requireRestartable() {
        if (backend == null) {
            throw new UnsupportedOperationException("Chroma at " + url + " was given by " + URL_VARIABLE + " and is not ours to stop");
        }
        return backend;
    }

    /**
     * Chroma from npm (through {@code .ci/chroma-local.sh}) on a free loopback port, keeping its data in {@code dataDir}
     * after it stops; it is stopped when the JVM exits. Returns once it answers.
     */
    public static ChromaServer fromNpm(Path dataDir) {
        return started(new NpmProcess(freePort(), dataDir));
    }

    private static ChromaServer create() {
        String given = System.getProperty(URL_VARIABLE, System.getenv(URL_VARIABLE));
        if (given != null && !given.isBlank()) {
            String url = given.endsWith("/") ? given.substring(0, given.length() - 1) : given;
            awaitHeartbeat(url, Duration.ofSeconds(10), null);
            return new ChromaServer(null, url);
        }
        int port = freePort();
        return started(DockerClientFactory.instance().isDockerAvailable() ? new Container(port) : new NpmProcess(port, null));
    }

    private static ChromaServer started(Backend backend) {
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "chroma-server-shutdown"));
        backend.start();
        String url = "http://" + backend.host() + ":" + backend.port();
        awaitHeartbeat(url, START_TIMEOUT, backend);
        return new ChromaServer(backend, url);
    }

    private static void awaitHeartbeat(String url, Duration timeout, Backend backend) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest heartbeat = HttpRequest.newBuilder(URI.create(url + "/api/v2/heartbeat")).timeout(Duration.ofSeconds(2)).build();
        try {
            Awaitility.await("Chroma at " + url).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                    .failFast(() -> backend != null && !backend.alive())
                    .until(() -> answers(client, heartbeat));
        } catch (TerminalFailureException e) {
            throw new IllegalStateException("Chroma exited while starting. " + backend.diagnostics(), e);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Chroma at " + url + " did not answer within " + timeout.toSeconds() + " s. "
                    + (backend == null ? "" : backend.diagnostics()), e);
        }
    }

    private static boolean answers(HttpClient client, HttpRequest heartbeat) throws InterruptedException {
        try {
            return client.send(heartbeat, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not up yet
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Backend {

        void start();

        void stop();

        String host();

        int port();

        boolean alive();

        String diagnostics();

        /** At JVM exit: stop and remove everything. */
        void close();
    }

    /**
     * The npm server through the project's script; SIGTERM makes it spin for a long time, so it is killed. Its data and
     * log go to a temporary folder removed at exit, or to a data folder of the caller's that stays.
     */
    private static final class NpmProcess implements Backend {

        private final int port;
        private final Path home;
        private final Path data;
        private final Path log;
        private final Path script;
        private final boolean temporary;
        private Process process;

        NpmProcess(int port, Path dataDir) {
            this.port = port;
            this.script = findScript();
            this.temporary = dataDir == null;
            try {
                this.home = temporary ? Files.createTempDirectory("docqa-chroma-") : Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.data = temporary ? home.resolve("data") : home;
            this.log = temporary ? home.resolve("chroma.log") : home.resolveSibling(home.getFileName() + ".log");
        }

        @Override
        public void start() {
            if (alive()) {
                return;
            }
            try {
                process = new ProcessBuilder("bash", script.toString(), String.valueOf(port), data.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot run " + script, e);
            }
        }

        @Override
        public void stop() {
            if (process == null) {
                return;
            }
            Process running = process;
            running.descendants().forEach(ProcessHandle::destroy);
            running.destroy();
            try {
                if (!running.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    running.descendants().forEach(ProcessHandle::destroyForcibly);
                    running.destroyForcibly();
                    running.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.destroyForcibly();
            }
            process = null;
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public boolean alive() {
            return process != null && process.isAlive();
        }

        @Override
        public String diagnostics() {
            try {
                if (!Files.exists(log)) {
                    return "No log at " + log;
                }
                String text = Files.readString(log);
                return "Last lines of " + log + ":\n" + text.substring(Math.max(0, text.length() - 4000));
            } catch (IOException e) {
                return "Log " + log + " unreadable: " + e;
            }
        }

        @Override
        public void close() {
            stop();
            if (!temporary) {
                return;
            }
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temporary folder: leave it
            }
        }

        private static Path findScript() {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(".ci/chroma-local.sh");
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
            throw new IllegalStateException("No Docker engine and no .ci/chroma-local.sh above " + Path.of("").toAbsolutePath()
                    + ": set " + URL_VARIABLE + " to a running Chroma");
        }
    }

    /** The Docker image, bound to a fixed host port so that a stopped container starts again at the same URL. */
    private static final class Container implements Backend {

        private final FixedPortChroma container;
        private final int port;

        Container(int port) {
            this.container = new FixedPortChroma(port);
            this.port = port;
        }

        @Override
        public void start() {
            if (container.getContainerId() == null) {
                container.start();
            } else {
                container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            }
        }

        @Override
        public void stop() {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(1).exec();
        }

        @Override
        public String host() {
            return container.getHost();
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public boolean alive() {
            return container.getContainerId() == null || Boolean.TRUE.equals(container.getDockerClient()
                    .inspectContainerCmd(container.getContainerId()).exec().getState().getRunning());
        }

        @Override
        public String diagnostics() {
            return container.getContainerId() == null ? "" : "Container logs:\n" + container.getLogs();
        }

        @Override
        public void close() {
            container.stop();
        }
    }

    private static final class FixedPortChroma extends ChromaDBContainer {

        FixedPortChroma(int port) {
            super(IMAGE);
            addFixedExposedPort(port, 8000);
        }
    }
}
