package io.docqa.local;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * The Redis of the rate limits for the one-command run: the one answering on 127.0.0.1:6379, else {@code redis-server}
 * from {@code PATH} on a free port, keeping nothing on disk (buckets need not outlive a run), stopped when the JVM exits.
 */
final class LocalRedis {

    private LocalRedis() {
    }

    /** The URL of a Redis that answers. */
    static String urlStartingIfNeeded(Path dataDir) throws IOException, InterruptedException {
        if (answers(6379)) {
            return "redis://127.0.0.1:6379";
        }
        int port = freePort();
        Files.createDirectories(dataDir);
        Process server;
        try {
            server = new ProcessBuilder(List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no", "--dir", dataDir.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("redis.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        }
        catch (IOException e) {
            throw new IllegalStateException("No Redis answers on 127.0.0.1:6379 and redis-server is not on the PATH: "
                    + "install it (Debian: apt-get install redis-server) or set DOCQA_REDIS_URL", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.destroy();
            try {
                server.waitFor(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Awaitility.await("redis-server on port " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!server.isAlive()) {
                        throw new IllegalStateException("redis-server exited at once; see " + dataDir.resolve("redis.log"));
                    }
                    return answers(port);
                });
        return "redis://127.0.0.1:" + port;
    }

    /** Whether a Redis on this port answers PING (a plain inline command, as redis-cli would send). */
    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        }
        catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
