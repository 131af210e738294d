package io.docqa.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads the service's {@code /actuator/prometheus} every 200 ms on a thread of its own and keeps the largest heap in
 * use (all heap pools together), the largest number of live threads (platform threads: the JVM's count leaves virtual
 * threads out) and the machine's lowest and highest load average (1 minute) seen since the last {@link #reset()}.
 */
final class MetricsSampler implements AutoCloseable {

    private final HttpClient client = HttpClient.newHttpClient();
    private final HttpRequest scrape;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakHeapBytes;
    private volatile long peakThreads;
    private volatile long lastHeapBytes;
    private volatile long lastThreads;
    private volatile long peakLiveDataBytes;
    private volatile double lowestLoad = Double.MAX_VALUE;
    private volatile double highestLoad;

    MetricsSampler(String baseUrl, String scrapeToken) {
        this.scrape = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + scrapeToken).timeout(Duration.ofSeconds(5)).build();
        this.thread = new Thread(this::run, "metrics-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    long peakHeapBytes() {
        return peakHeapBytes;
    }

    long peakThreads() {
        return peakThreads;
    }

    /** The largest old generation left after a full collection ({@code jvm.gc.live.data.size}): what the heap really held. */
    long peakLiveDataBytes() {
        return peakLiveDataBytes;
    }

    long lastThreads() {
        return lastThreads;
    }

    long lastHeapBytes() {
        return lastHeapBytes;
    }

    /** The lowest and highest 1-minute load average, as "low-high". */
    String loadRange() {
        return highestLoad == 0 ? "unknown" : String.format("%.0f-%.0f", lowestLoad, highestLoad);
    }

    void reset() {
        peakHeapBytes = lastHeapBytes;
        peakThreads = lastThreads;
        peakLiveDataBytes = 0;
        lowestLoad = Double.MAX_VALUE;
        highestLoad = 0;
    }

    private void run() {
        while (running) {
            try {
                sample(client.send(scrape, HttpResponse.BodyHandlers.ofString()).body());
            } catch (IOException e) {
                // the service is stopping, or too busy to answer in time: the next sample counts
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample(String metrics) {
        long heap = 0;
        long threads = -1;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += (long) value(line);
            } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                peakLiveDataBytes = Math.max(peakLiveDataBytes, (long) value(line));
            } else if (line.startsWith("jvm_threads_live_threads")) {
                threads = (long) value(line);
            }
        }
        lastHeapBytes = heap;
        lastThreads = threads;
        peakHeapBytes = Math.max(peakHeapBytes, heap);
        peakThreads = Math.max(peakThreads, threads);
        try {
            double load = Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split("\\s+")[0]);
            lowestLoad = Math.min(lowestLoad, load);
            highestLoad = Math.max(highestLoad, load);
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
