package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import io.docqa.ai.VectorMatch;
import io.docqa.document.KeywordHit;

class RelevanceDecisionTest {

    private static final UUID DOC = UUID.randomUUID();
    private static final RetrievalProperties.Relevance THRESHOLDS = RetrievalPropertiesTest.retrievalProperties(java.util.Map.of()).relevance();

    @Test
    void aVeryCloseVectorMatchIsRelevantOnItsOwn() {
        assertThat(relevant(List.of(vector(0, 0.85), vector(1, 0.6)), List.of())).isTrue();
    }

    @Test
    void anOrdinaryVectorScoreWithoutKeywordsIsNot() {
        assertThat(relevant(List.of(vector(0, 0.72), vector(1, 0.70), vector(2, 0.69)), List.of())).isFalse();
    }

    @Test
    void keywordsThatCoverTheQuestionAndAgreeWithTheVectorRankingAreRelevant() {
        assertThat(relevant(List.of(vector(0, 0.6), vector(1, 0.58)), List.of(keyword(0, 2, 3)))).isTrue();
    }

    @Test
    void keywordsWithoutAgreementNeedAFairVectorScore() {
        List<KeywordHit> elsewhere = List.of(keyword(7, 2, 3));
        assertThat(relevant(List.of(vector(0, 0.6), vector(1, 0.58)), elsewhere)).isFalse();
        assertThat(relevant(List.of(vector(0, 0.66), vector(1, 0.65)), elsewhere)).isTrue();
    }

    @Test
    void oneCommonWordOfManyIsNoKeywordEvidence() {
        assertThat(relevant(List.of(vector(0, 0.7), vector(1, 0.69)), List.of(keyword(0, 1, 4)))).isFalse();
    }

    @Test
    void aVectorMatchThatStandsOutFromTheTenantsOtherChunksIsRelevant() {
        assertThat(relevant(List.of(vector(0, 0.78), vector(1, 0.62), vector(2, 0.61), vector(3, 0.6)), List.of())).isTrue();
    }

    @Test
    void withTheVectorPathOffKeywordEvidenceDecidesAlone() {
        assertThat(RelevanceDecision.relevant(List.of(), List.of(keyword(3, 2, 3)), RetrievalProperties.Mode.KEYWORD, THRESHOLDS)).isTrue();
        assertThat(RelevanceDecision.relevant(List.of(), List.of(keyword(3, 1, 3)), RetrievalProperties.Mode.KEYWORD, THRESHOLDS)).isFalse();
    }

    @Test
    void withTheKeywordPathOffAFairVectorScoreDecides() {
        RetrievalProperties.Mode vectorOnly = RetrievalProperties.Mode.VECTOR;
        assertThat(RelevanceDecision.relevant(List.of(vector(0, 0.66), vector(1, 0.65)), List.of(), vectorOnly, THRESHOLDS)).isTrue();
        assertThat(RelevanceDecision.relevant(List.of(vector(0, 0.64), vector(1, 0.5)), List.of(), vectorOnly, THRESHOLDS)).isFalse();
    }

    @Test
    void aHeadingThatNamesTheQuestionIsRelevantWhateverTheVectorScore() {
        List<VectorMatch> weak = List.of(vector(0, 0.6), vector(1, 0.59), vector(2, 0.58));
        assertThat(relevant(weak, List.of(keyword(7, 2, 3, 2, 0.67)))).isTrue();
        assertThat(relevant(weak, List.of(keyword(7, 2, 3, 2, 0.5)))).as("the heading holds too little of the question").isFalse();
        assertThat(relevant(weak, List.of(keyword(7, 1, 2, 1, 0.7)))).as("one word in a heading is no evidence").isFalse();
    }

    @Test
    void nothingFoundIsNotRelevant() {
        assertThat(relevant(List.of(), List.of())).isFalse();
    }

    private static boolean relevant(List<VectorMatch> vector, List<KeywordHit> keyword) {
        return RelevanceDecision.relevant(vector, keyword, RetrievalProperties.Mode.HYBRID, THRESHOLDS);
    }

    private static VectorMatch vector(int chunk, double score) {
        return new VectorMatch(DOC, chunk, null, "chunk " + chunk, score);
    }

    private static KeywordHit keyword(int chunk, int matched, int terms) {
        return keyword(chunk, matched, terms, 0, 0);
    }

    private static KeywordHit keyword(int chunk, int matched, int terms, int inHeading, double headingScore) {
        return new KeywordHit(DOC, "doc.txt", chunk, null, "chunk " + chunk, (double) matched / terms, headingScore, matched,
                inHeading, terms);
    }
}
