package io.docqa.bench;

import java.util.List;

/** Percentiles of a sample of durations, in milliseconds (nearest rank). */
record Percentiles(int count, double p50, double p90, double p99, double max) {

    static Percentiles ofNanos(List<Long> nanos) {
        double[] millis = nanos.stream().mapToDouble(value -> value / 1e6).sorted().toArray();
        return new Percentiles(millis.length, rank(millis, 0.50), rank(millis, 0.90), rank(millis, 0.99),
                millis.length == 0 ? Double.NaN : millis[millis.length - 1]);
    }

    private static double rank(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    @Override
    public String toString() {
        return String.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", p50, p90, p99, max, count);
    }
}
