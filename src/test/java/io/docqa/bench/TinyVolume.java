package io.docqa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small file system for one service process: a tmpfs of {@code size} mounted on a temporary directory inside a
 * private mount namespace ({@code unshare --user --map-root-user --mount}, no root needed where user namespaces are
 * allowed), seen only by that process. Where they are not, a directory that does not exist stands in for it.
 */
final class TinyVolume implements AutoCloseable {

    private final Path directory;
    private final String size;
    private final boolean mounted;

    private TinyVolume(Path directory, String size, boolean mounted) {
        this.directory = directory;
        this.size = size;
        this.mounted = mounted;
    }

    static TinyVolume of(String size) {
        try {
            return new TinyVolume(Files.createTempDirectory("docqa-tiny-"), size, namespacesAllowed());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean mounted() {
        return mounted;
    }

    Path path() {
        return mounted ? directory : directory.resolve("missing");
    }

    /** The command that runs the service's command with the tmpfs mounted. */
    List<String> wrapper() {
        if (!mounted) {
            return List.of();
        }
        return List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                "mount -t tmpfs -o size=" + size + " tmpfs " + directory + " && exec \"$@\"", "service");
    }

    String describe() {
        return mounted ? "a tmpfs of " + size : "a directory that does not exist (no private mount namespace here)";
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    private static boolean namespacesAllowed() {
        try {
            Process probe = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
