package io.docqa.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An npm package the tests drive with Node.js, at a pinned version, installed once into
 * {@code ${DOCQA_CACHE_DIR:-<repo root>/.cache}/npm/<name>-<version>} as {@code .ci/chroma-local.sh} installs Chroma:
 * under a lock shared by every test JVM, in a temporary folder renamed into place only once complete.
 */
public final class NpmPackage {

    private static final String COMPLETE = ".docqa-complete";
    private static final long INSTALL_MINUTES = 10;

    private NpmPackage() {
    }

    /** The folder whose {@code node_modules} holds the package (resolve modules from a file inside it). */
    public static synchronized Path install(String name, String version) {
        Path cache = cacheRoot().resolve("npm");
        Path target = cache.resolve(name + "-" + version);
        if (Files.exists(target.resolve(COMPLETE))) {
            return target;
        }
        try {
            Files.createDirectories(cache);
            try (FileChannel channel = FileChannel.open(cache.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (!Files.exists(target.resolve(COMPLETE))) {
                    installInto(cache, target, name, version);
                }
            }
            return target;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot install npm package " + name + "@" + version + " into " + target, e);
        }
    }

    private static void installInto(Path cache, Path target, String name, String version) throws IOException {
        delete(target);
        Path tmp = cache.resolve(".tmp-" + name + "-" + version + "-" + ProcessHandle.current().pid());
        delete(tmp);
        Files.createDirectories(tmp);
        Files.writeString(tmp.resolve("package.json"), """
                {"name": "docqa-test-%s", "private": true, "description": "installed by docqa's tests (NpmPackage)",
                 "dependencies": {"%s": "%s"}}
                """.formatted(name.replace('/', '-').replace("@", ""), name, version));
        Path log = cache.resolve(name.replace('/', '-') + "-" + version + ".log");
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-progress", "--loglevel=warn")
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            if (!npm.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install " + name + "@" + version + " took over " + INSTALL_MINUTES + " min; see " + log);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            npm.destroyForcibly();
            throw new IllegalStateException("Interrupted while installing " + name, e);
        }
        if (npm.exitValue() != 0 || !Files.exists(tmp.resolve("node_modules").resolve(name).resolve("package.json"))) {
            delete(tmp);
            throw new IllegalStateException("npm install " + name + "@" + version + " failed (is the npm registry reachable?): "
                    + Files.readString(log));
        }
        Files.writeString(tmp.resolve(COMPLETE), Instant.now().toString());
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path cacheRoot() {
        String given = System.getenv("DOCQA_CACHE_DIR");
        if (given != null && !given.isBlank()) {
            return Path.of(given).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".ci"))) {
                return dir.resolve(".cache");
            }
        }
        return Path.of(".cache").toAbsolutePath();
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
