package io.docqa.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.docqa.bench.RetrievalEvaluator.Outcome;

/**
 * The figures of one retrieval mode. Hits and MRR are over in-corpus questions as a user asks them: a refused question
 * is a miss. The {@code ranking*} figures are of the same questions asked with {@code min_score} 0 (the ranking alone).
 * {@code hit4ByKind} and {@code hit4ByFormat} split hit@4 by where the question came from and the right page's format.
 */
record RetrievalMetrics(String mode, int inCorpus, double hit1, double hit4, double mrr10, int offTopic,
        int offTopicRefused, int inCorpusRefused, int nearMisses, int nearMissesRefused, int followUps, double followUpHit4,
        double followUpAloneHit4, double rankingHit1, double rankingHit4, double rankingMrr10, Map<String, Double> hit4ByKind,
        Map<String, Double> hit4ByFormat, ScoreDistribution inCorpusTopScores, ScoreDistribution offTopicTopScores,
        ScoreDistribution nearMissTopScores) {

    static RetrievalMetrics of(String mode, RetrievalEvaluator.Results results, Function<String, String> formatOfPage) {
        List<Outcome> in = results.inCorpus();
        return new RetrievalMetrics(mode, in.size(),
                share(in, outcome -> hit(outcome.rank(), 1)), share(in, outcome -> hit(outcome.rank(), 4)), mrr(in, Outcome::rank),
                results.offTopic().size(), (int) results.offTopic().stream().filter(Outcome::refused).count(),
                (int) in.stream().filter(Outcome::refused).count(),
                results.nearMisses().size(), (int) results.nearMisses().stream().filter(Outcome::refused).count(),
                results.followUps().size(), share(results.followUps(), outcome -> hit(outcome.rank(), 4)),
                share(results.followUpsAlone(), outcome -> hit(outcome.rank(), 4)),
                share(in, outcome -> hit(outcome.rawRank(), 1)), share(in, outcome -> hit(outcome.rawRank(), 4)),
                mrr(in, Outcome::rawRank),
                hit4By(in, Outcome::kind),
                hit4By(in, outcome -> formatOfPage.apply(outcome.pages().iterator().next())),
                ScoreDistribution.of(in.stream().mapToDouble(Outcome::rawTopScore)),
                ScoreDistribution.of(results.offTopic().stream().mapToDouble(Outcome::rawTopScore)),
                ScoreDistribution.of(results.nearMisses().stream().mapToDouble(Outcome::rawTopScore)));
    }

    double offTopicRefusedShare() {
        return offTopic == 0 ? Double.NaN : (double) offTopicRefused / offTopic;
    }

    double inCorpusRefusedShare() {
        return inCorpus == 0 ? Double.NaN : (double) inCorpusRefused / inCorpus;
    }

    private static boolean hit(int rank, int k) {
        return rank > 0 && rank <= k;
    }

    private static double share(List<Outcome> outcomes, Predicate<Outcome> test) {
        return outcomes.isEmpty() ? Double.NaN : (double) outcomes.stream().filter(test).count() / outcomes.size();
    }

    private static double mrr(List<Outcome> outcomes, Function<Outcome, Integer> rank) {
        return outcomes.stream().mapToDouble(outcome -> {
            int r = rank.apply(outcome);
            return r > 0 && r <= RetrievalEvaluator.TOP_K ? 1.0 / r : 0;
        }).average().orElse(Double.NaN);
    }

    private static Map<String, Double> hit4By(List<Outcome> outcomes, Function<Outcome, String> key) {
        return outcomes.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.collectingAndThen(Collectors.toList(),
                group -> share(group, outcome -> hit(outcome.rank(), 4)))));
    }
}
