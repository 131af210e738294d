package io.docqa.chat;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How passages are found. {@code mode}: both rankings fused (hybrid), or one alone (for comparisons). Each path
 * proposes {@code candidates} chunks; reciprocal-rank fusion scores a chunk {@code weight / (rrfK + rank)} summed
 * over the paths that found it. The defaults (k 1, keyword weight 1.25) were chosen on RetrievalBenchmark: a small k
 * lets a path's first chunks outweigh a chunk both paths rank low, and the keyword path, the better of the two on
 * its own, wins the ties. A follow-up question also searches with the {@code followUpTurns} user questions
 * before it, which count {@code followUpWeight} times as much as the question itself. {@code relevance}: see
 * {@link RelevanceDecision}. ({@code docqa.retrieval.text-search-config} belongs to the document feature.)
 */
@ConfigurationProperties("docqa.retrieval")
record RetrievalProperties(
        @DefaultValue("hybrid") Mode mode,
        @DefaultValue("20") int candidates,
        @DefaultValue("1") int rrfK,
        @DefaultValue("1.0") double vectorWeight,
        @DefaultValue("1.25") double keywordWeight,
        @DefaultValue("1") int followUpTurns,
        @DefaultValue("0.5") double followUpWeight,
        @DefaultValue Relevance relevance) {

    enum Mode {
        HYBRID, VECTOR, KEYWORD;

        boolean vector() {
            return this != KEYWORD;
        }

        boolean keyword() {
            return this != VECTOR;
        }
    }

    /** The thresholds of {@link RelevanceDecision}; vector scores as in {@link io.docqa.ai.VectorMatch#score()}. */
    record Relevance(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("0.8") double vectorAlone,
            @DefaultValue("0.65") double vectorWithKeywords,
            @DefaultValue("0.5") double keywordCoverage,
            @DefaultValue("3") int agreementDepth,
            @DefaultValue("0.1") double vectorLift,
            @DefaultValue("0.6") double headingCoverage) {
    }

    RetrievalProperties {
        require(candidates >= 1 && candidates <= 200, "candidates must be from 1 to 200");
        require(rrfK >= 0, "rrf-k must not be negative");
        require(vectorWeight >= 0 && keywordWeight >= 0 && vectorWeight + keywordWeight > 0, "vector-weight and keyword-weight must not be negative, nor both 0");
        require(followUpTurns >= 0, "follow-up-turns must not be negative");
        require(followUpWeight >= 0, "follow-up-weight must not be negative");
        require(relevance.agreementDepth() >= 1, "relevance.agreement-depth must be at least 1");
        require(between01(relevance.vectorAlone()) && between01(relevance.vectorWithKeywords())
                && between01(relevance.keywordCoverage()) && between01(relevance.vectorLift())
                && between01(relevance.headingCoverage()), "relevance thresholds must be from 0 to 1");
    }

    private static boolean between01(double value) {
        return value >= 0 && value <= 1;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("docqa.retrieval." + message);
        }
    }
}
