package io.docqa.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the machine's CPU went between two snapshots, read from Linux's {@code /proc} (clock ticks, 100 per second):
 * the service's embedding threads ({@code embed-N}), the rest of the service, this benchmark's JVM, everything else
 * that ran (Chroma, PostgreSQL, the system), and idle time.
 */
record CpuUse(long embedding, long restOfService, long benchmark, long busy, long total) {

    static CpuUse take(long servicePid) {
        long embedding = 0;
        long service = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(servicePid), "task"))) {
            for (Path task : tasks) {
                long ticks = ticks(task.resolve("stat"));
                service += ticks;
                if (read(task.resolve("comm")).startsWith("embed-")) {
                    embedding += ticks;
                }
            }
            String[] cpu = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
            long busy = 0;
            long total = 0;
            for (int i = 1; i <= 8; i++) { // user nice system idle iowait irq softirq steal
                long value = Long.parseLong(cpu[i]);
                total += value;
                busy += i == 4 || i == 5 ? 0 : value;
            }
            return new CpuUse(embedding, service - embedding, ticks(Path.of("/proc/self/stat")), busy, total);
        } catch (IOException | RuntimeException e) {
            return new CpuUse(0, 0, 0, 0, 0); // not Linux: nothing to report
        }
    }

    /** All of the service's threads, in clock ticks. */
    long service() {
        return embedding + restOfService;
    }

    CpuUse since(CpuUse before) {
        return new CpuUse(embedding - before.embedding, restOfService - before.restOfService, benchmark - before.benchmark,
                busy - before.busy, total - before.total);
    }

    CpuUse plus(CpuUse other) {
        return new CpuUse(embedding + other.embedding, restOfService + other.restOfService, benchmark + other.benchmark,
                busy + other.busy, total + other.total);
    }

    /** One line of shares of all CPU time, e.g. {@code embedding 87.5 %, rest of the service 3.1 %, ...}. */
    String describe() {
        if (total == 0) {
            return "not measured (no /proc)";
        }
        long others = busy - embedding - restOfService - benchmark;
        return String.format("embedding threads %.1f %%, rest of the service %.1f %%, benchmark client %.1f %%,"
                        + " Chroma + PostgreSQL + system %.1f %%, idle %.1f %%",
                share(embedding), share(restOfService), share(benchmark), share(others), share(total - busy));
    }

    private double share(long ticks) {
        return 100.0 * ticks / total;
    }

    /** utime + stime of a /proc stat file; the command name in parentheses may hold spaces. */
    private static long ticks(Path stat) throws IOException {
        String line = read(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).strip();
    }
}
