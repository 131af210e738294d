package io.docqa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The table and score distributions {@link RetrievalBenchmark} prints, and its JSON summary under target/bench. */
final class RetrievalReport {

    private static final double[] IN_CORPUS_FLOORS = { 0.01, 0.03, 0.05, 0.10 };
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private final String header;
    private final List<RetrievalMetrics> modes = new ArrayList<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();

    RetrievalReport(String header, Map<String, Object> setup) {
        this.header = header;
        summary.put("measured_at", Instant.now().toString());
        summary.putAll(setup);
    }

    void add(RetrievalMetrics metrics, RetrievalEvaluator.Results results, Path dir) {
        modes.add(metrics);
        write(dir.resolve("retrieval-" + fileName(metrics.mode()) + "-questions.json"), results);
    }

    /** A label ("hybrid keyword-weight=2") as part of a file name. */
    static String fileName(String label) {
        return label.replaceAll("[^A-Za-z0-9.=-]+", "_");
    }

    void print() {
        System.out.println();
        System.out.println("== retrieval benchmark: " + header);
        System.out.printf("%-8s %6s %6s %7s  %-20s %-27s %s%n", "mode", "hit@1", "hit@4", "MRR@10", "off-topic refused",
                "in-corpus wrongly refused", "follow-up hit@4 (asked alone)");
        for (RetrievalMetrics m : modes) {
            System.out.printf("%-8s %6.3f %6.3f %7.3f  %-20s %-27s %.3f (%.3f)%n", m.mode(), m.hit1(), m.hit4(), m.mrr10(),
                    fraction(m.offTopicRefused(), m.offTopic()), fraction(m.inCorpusRefused(), m.inCorpus()),
                    m.followUpHit4(), m.followUpAloneHit4());
        }
        for (RetrievalMetrics m : modes) {
            System.out.printf("%-8s near misses (programming, not Python) refused: %s%n", m.mode(),
                    fraction(m.nearMissesRefused(), m.nearMisses()));
        }
        System.out.println();
        System.out.println("the ranking alone (the same questions with min_score 0, nothing refused unless the service still refuses):");
        for (RetrievalMetrics m : modes) {
            System.out.printf("%-8s %6.3f %6.3f %7.3f   hit@4 by question %s, by format %s%n", m.mode(), m.rankingHit1(),
                    m.rankingHit4(), m.rankingMrr10(), rounded(m.hit4ByKind()), rounded(m.hit4ByFormat()));
        }
        System.out.println();
        System.out.println("top-1 scores with min_score 0:");
        for (RetrievalMetrics m : modes) {
            System.out.printf("%-8s in-corpus  %s%n", m.mode(), m.inCorpusTopScores());
            System.out.printf("%-8s off-topic  %s%n", "", m.offTopicTopScores());
            System.out.printf("%-8s near miss  %s%n", "", m.nearMissTopScores());
            StringBuilder floors = new StringBuilder();
            for (double share : IN_CORPUS_FLOORS) {
                double floor = quantile(m.inCorpusTopScores(), share);
                floors.append(String.format("  %.0f %% -> %.3f lets %.0f %% / %.0f %% through;", share * 100, floor,
                        100 * m.offTopicTopScores().shareAtLeast(floor), 100 * m.nearMissTopScores().shareAtLeast(floor)));
            }
            System.out.printf("%-8s a floor on the top-1 score refusing x %% of in-corpus questions, and the off-topic /"
                    + " near-miss ones it lets through:%s%n", "", floors);
        }
    }

    void writeSummary(Path file) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RetrievalMetrics m : modes) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mode", m.mode());
            row.put("hit_at_1", number(m.hit1()));
            row.put("hit_at_4", number(m.hit4()));
            row.put("mrr_at_10", number(m.mrr10()));
            row.put("off_topic_refused", number(m.offTopicRefusedShare()));
            row.put("off_topic_refused_count", m.offTopicRefused());
            row.put("off_topic_questions", m.offTopic());
            row.put("in_corpus_wrongly_refused", number(m.inCorpusRefusedShare()));
            row.put("in_corpus_wrongly_refused_count", m.inCorpusRefused());
            row.put("in_corpus_questions", m.inCorpus());
            row.put("near_misses_refused_count", m.nearMissesRefused());
            row.put("near_misses", m.nearMisses());
            row.put("follow_up_hit_at_4", number(m.followUpHit4()));
            row.put("follow_up_asked_alone_hit_at_4", number(m.followUpAloneHit4()));
            row.put("follow_ups", m.followUps());
            row.put("ranking_hit_at_1", number(m.rankingHit1()));
            row.put("ranking_hit_at_4", number(m.rankingHit4()));
            row.put("ranking_mrr_at_10", number(m.rankingMrr10()));
            row.put("hit_at_4_by_question_kind", rounded(m.hit4ByKind()));
            row.put("hit_at_4_by_format", rounded(m.hit4ByFormat()));
            row.put("in_corpus_top_scores", distribution(m.inCorpusTopScores()));
            row.put("off_topic_top_scores", distribution(m.offTopicTopScores()));
            row.put("near_miss_top_scores", distribution(m.nearMissTopScores()));
            rows.add(row);
        }
        summary.put("modes", rows);
        write(file, summary);
        System.out.println("summary: " + file.toAbsolutePath());
    }

    private static Map<String, Object> distribution(ScoreDistribution d) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", d.count());
        map.put("without_sources", d.withoutSources());
        map.put("min", number(d.min()));
        map.put("p5", number(d.p5()));
        map.put("p10", number(d.p10()));
        map.put("p25", number(d.p25()));
        map.put("p50", number(d.p50()));
        map.put("p75", number(d.p75()));
        map.put("p90", number(d.p90()));
        map.put("p95", number(d.p95()));
        map.put("max", number(d.max()));
        return map;
    }

    /** The score below which {@code share} of the distribution lies (nearest rank). */
    private static double quantile(ScoreDistribution d, double share) {
        double[] sorted = d.sorted();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(share * sorted.length))];
    }

    private static Map<String, Double> rounded(Map<String, Double> shares) {
        Map<String, Double> rounded = new LinkedHashMap<>();
        shares.forEach((key, value) -> rounded.put(key, number(value)));
        return rounded;
    }

    private static String fraction(int part, int whole) {
        return String.format("%d/%d %5.1f %%", part, whole, whole == 0 ? Double.NaN : 100.0 * part / whole);
    }

    private static Double number(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 10000) / 10000.0;
    }

    private static void write(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
