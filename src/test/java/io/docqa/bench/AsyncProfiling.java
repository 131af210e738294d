package io.docqa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * async-profiler attached to a running service for one phase of a benchmark: {@code jcmd PID JVMTI.agent_load} with
 * {@code start}, then again with {@code stop,file=...}, so that only that phase is sampled. The library is
 * {@code libasyncProfiler.so} from the Maven Central artifact {@code tools.profiler:async-profiler:4.2:jar:linux-x64}
 * (see the README's Benchmarks); CPU samples every millisecond, per thread, written as collapsed stacks.
 */
final class AsyncProfiling {

    private final Path library;

    AsyncProfiling(Path library) {
        if (!Files.isRegularFile(library)) {
            throw new IllegalArgumentException("No async-profiler library at " + library);
        }
        this.library = library.toAbsolutePath();
    }

    void start(long pid) {
        jcmd(pid, "start,event=cpu,interval=1ms,threads");
    }

    /** Stops sampling and writes the collapsed stacks to {@code file}. */
    Path stop(long pid, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jcmd(pid, "stop,file=" + file.toAbsolutePath());
        return file;
    }

    private void jcmd(long pid, String options) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), "JVMTI.agent_load",
                    library.toString(), '"' + options + '"')).redirectErrorStream(true).start(); // unquoted, jcmd splits the options
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !output.contains("return code: 0")) {
                System.out.println("  async-profiler " + options + ": " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
