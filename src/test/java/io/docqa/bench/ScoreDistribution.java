package io.docqa.bench;

import java.util.Arrays;
import java.util.stream.DoubleStream;

/** Percentiles of top-1 scores (nearest rank); questions without any source are left out and counted. */
record ScoreDistribution(int count, int withoutSources, double min, double p5, double p10, double p25, double p50,
        double p75, double p90, double p95, double max, double[] sorted) {

    static ScoreDistribution of(DoubleStream scores) {
        double[] all = scores.toArray();
        double[] sorted = Arrays.stream(all).filter(score -> !Double.isNaN(score)).sorted().toArray();
        return new ScoreDistribution(sorted.length, all.length - sorted.length, at(sorted, 0), at(sorted, 0.05),
                at(sorted, 0.10), at(sorted, 0.25), at(sorted, 0.50), at(sorted, 0.75), at(sorted, 0.90), at(sorted, 0.95),
                at(sorted, 1), sorted);
    }

    /** The share of scores at or above {@code floor}. */
    double shareAtLeast(double floor) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return (double) Arrays.stream(sorted).filter(score -> score >= floor).count() / sorted.length;
    }

    private static double at(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1))];
    }

    @Override
    public String toString() {
        return String.format("min %.3f  p5 %.3f  p10 %.3f  p25 %.3f  p50 %.3f  p75 %.3f  p90 %.3f  p95 %.3f  max %.3f  (n=%d%s)",
                min, p5, p10, p25, p50, p75, p90, p95, max, count, withoutSources == 0 ? "" : ", " + withoutSources + " without sources");
    }
}
