package io.docqa.chat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * (off-topic questions score all chunks alike);</li>
 * <li>a heading: the heading path of some passage found by the keyword path holds two or more of the question's
 * content words and at least {@code headingCoverage} of their weight by rarity ({@link KeywordHit#headingScore()}):
 * the question names a section of the documents ("How do I go about whetting your appetite?"), however the vector
 * path scores it. One word in a heading is no such evidence: everyday words stand in headings too ("How does a
 * rainbow form?" meets a heading on forms).</li>
 * </ul>
 * Relevant when the vector score alone suffices, or a heading names the question, or when keyword evidence comes
 * with agreement or with a vector score of at least {@code vectorWithKeywords}, or when that vector score stands
 * out by {@code vectorLift}. With one
 * path switched off ({@code docqa.retrieval.mode}): keyword evidence alone, or a vector score of
 * {@code vectorWithKeywords}, decides.
 */
final class RelevanceDecision {

    private RelevanceDecision() {
    }

    static boolean relevant(List<VectorMatch> vector, List<KeywordHit> keyword, RetrievalProperties.Mode mode,
            RetrievalProperties.Relevance thresholds) {
        Evidence evidence = Evidence.of(vector, keyword, thresholds.agreementDepth());
        if (!mode.keyword()) {
            return evidence.bestVector() >= thresholds.vectorWithKeywords();
        }
        if (evidence.bestVector() >= thresholds.vectorAlone()
                || evidence.heading() >= thresholds.headingCoverage() && evidence.heading() > 0) {
            return true;
        }
        boolean keywords = evidence.coverage() >= thresholds.keywordCoverage() && evidence.coverage() > 0;
        if (keywords && (!mode.vector() || evidence.agreement() || evidence.bestVector() >= thresholds.vectorWithKeywords())) {
            return true;
        }
        return evidence.bestVector() >= thresholds.vectorWithKeywords() && evidence.lift() >= thresholds.vectorLift();
    }

    /**
     * What the searches say about a question: {@code coverage} is the best keyword score, {@code heading} the best
     * heading score of a heading path holding two or more of its words; {@code agreementRank} is the smallest rank at which one chunk stands in both rankings (0: none does).
     */
    record Evidence(double bestVector, double lift, double coverage, double heading, int agreementRank, int depth) {

        boolean agreement() {
            return agreementRank > 0 && agreementRank <= depth;
        }

        static Evidence of(List<VectorMatch> vector, List<KeywordHit> keyword, int depth) {
            double best = vector.stream().mapToDouble(VectorMatch::score).max().orElse(0);
            double mean = vector.stream().mapToDouble(VectorMatch::score).average().orElse(best);
            double coverage = keyword.stream().mapToDouble(KeywordHit::score).max().orElse(0);
            double heading = keyword.stream().filter(hit -> hit.headingTerms() >= 2).mapToDouble(KeywordHit::headingScore).max().orElse(0);
            Map<String, Integer> vectorRanks = new HashMap<>();
            for (int i = 0; i < vector.size(); i++) {
                vectorRanks.putIfAbsent(vector.get(i).documentId() + "/" + vector.get(i).chunkIndex(), i + 1);
            }
            int agreementRank = 0;
            for (int i = 0; i < keyword.size(); i++) {
                Integer vectorRank = vectorRanks.get(keyword.get(i).documentId() + "/" + keyword.get(i).chunkIndex());
                if (vectorRank != null && (agreementRank == 0 || Math.max(vectorRank, i + 1) < agreementRank)) {
                    agreementRank = Math.max(vectorRank, i + 1);
                }
            }
            return new Evidence(best, best - mean, coverage, heading, agreementRank, depth);
        }
    }
}
