package io.docqa.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads the service's {@code /actuator/prometheus} every 200 ms on a thread of its own and keeps the largest heap in
 * use (all heap pools together) and the largest number of live threads seen since the last {@link #reset()}.
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

    long lastThreads() {
        return lastThreads;
    }

    long lastHeapBytes() {
        return lastHeapBytes;
    }

    void reset() {
        peakHeapBytes = lastHeapBytes;
        peakThreads = lastThreads;
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
            } else if (line.startsWith("jvm_threads_live_threads")) {
                threads = (long) value(line);
            }
        }
        lastHeapBytes = heap;
        lastThreads = threads;
        peakHeapBytes = Math.max(peakHeapBytes, heap);
        peakThreads = Math.max(peakThreads, threads);
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
