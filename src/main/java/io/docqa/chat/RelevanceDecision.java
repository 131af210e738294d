package io.docqa.chat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.docqa.ai.VectorMatch;
import io.docqa.document.KeywordHit;

/**
 * Whether anything the searches found is relevant to the question; when not, the service says the documents do not
 * cover it instead of calling the model. No single vector score separates questions the documents answer from
 * others (an off-topic question still scores 0.6-0.75 against some chunk), so the decision combines:
 * <ul>
 * <li>the best vector score: at {@code vectorAlone} or above, the passage says nearly what the question says;</li>
 * <li>keyword evidence: some passage found by the keyword path holds at least {@code keywordCoverage} of the
 * question's content words, weighted by rarity (its {@link KeywordHit#score()});</li>
 * <li>agreement: the same chunk within the first {@code agreementDepth} of both rankings;</li>
 * <li>lift: how far the best vector score stands above the mean of the tenant's other candidates for this question
 * (off-topic questions score all chunks alike).</li>
 * </ul>
 * Relevant when the vector score alone suffices, or when keyword evidence comes with agreement or with a vector
 * score of at least {@code vectorWithKeywords}, or when that vector score stands out by {@code vectorLift}. With one
 * path switched off ({@code docqa.retrieval.mode}), keyword evidence alone, or the vector rules alone, decide.
 */
final class RelevanceDecision {

    private RelevanceDecision() {
    }

    static boolean relevant(List<VectorMatch> vector, List<KeywordHit> keyword, RetrievalProperties.Mode mode,
            RetrievalProperties.Relevance thresholds) {
        Evidence evidence = Evidence.of(vector, keyword, thresholds.agreementDepth());
        if (evidence.bestVector() >= thresholds.vectorAlone()) {
            return true;
        }
        boolean keywords = evidence.coverage() >= thresholds.keywordCoverage() && evidence.coverage() > 0;
        if (keywords && (!mode.vector() || evidence.agreement() || evidence.bestVector() >= thresholds.vectorWithKeywords())) {
            return true;
        }
        return evidence.bestVector() >= thresholds.vectorWithKeywords() && evidence.lift() >= thresholds.vectorLift();
    }

    /** What the searches say about a question; {@code coverage} is the best keyword score. */
    record Evidence(double bestVector, double lift, double coverage, boolean agreement) {

        static Evidence of(List<VectorMatch> vector, List<KeywordHit> keyword, int depth) {
            double best = vector.stream().mapToDouble(VectorMatch::score).max().orElse(0);
            double mean = vector.stream().mapToDouble(VectorMatch::score).average().orElse(best);
            double coverage = keyword.stream().mapToDouble(KeywordHit::score).max().orElse(0);
            Set<String> topVector = new HashSet<>();
            vector.stream().limit(depth).forEach(match -> topVector.add(match.documentId() + "/" + match.chunkIndex()));
            boolean agreement = keyword.stream().limit(depth).anyMatch(hit -> topVector.contains(hit.documentId() + "/" + hit.chunkIndex()));
            return new Evidence(best, best - mean, coverage, agreement);
        }
    }
}
