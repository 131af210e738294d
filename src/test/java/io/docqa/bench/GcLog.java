package io.docqa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peak heap in use of a JVM started with {@code -Xlog:gc:file=<file>}, read from its GC log: the heap is at its
 * largest just before a collection, and every collection logs that size ({@code GC(7) Pause Young ... 150M->41M(192M)}).
 * Costs the measured JVM nothing, unlike polling it for its metrics.
 */
final class GcLog {

    private static final Pattern BEFORE_AFTER = Pattern.compile("(\\d+)([KMG])->\\d+[KMG]\\(\\d+[KMG]\\)");

    private final Path file;
    private int linesSeen;

    GcLog(Path file) {
        this.file = file;
    }

    static String option(Path file) {
        return "-Xlog:gc:file=" + file.toAbsolutePath();
    }

    /** Forgets the collections logged so far: the next {@link #peakHeapBytes()} counts only later ones. */
    void reset() {
        linesSeen = lines().size();
    }

    long peakHeapBytes() {
        List<String> lines = lines();
        long peak = 0;
        for (String line : lines.subList(Math.min(linesSeen, lines.size()), lines.size())) {
            Matcher matcher = BEFORE_AFTER.matcher(line);
            if (matcher.find()) {
                long unit = switch (matcher.group(2)) {
                    case "K" -> 1L << 10;
                    case "M" -> 1L << 20;
                    default -> 1L << 30;
                };
                peak = Math.max(peak, Long.parseLong(matcher.group(1)) * unit);
            }
        }
        return peak;
    }

    private List<String> lines() {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
