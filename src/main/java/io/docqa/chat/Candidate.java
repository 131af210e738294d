package io.docqa.chat;

import java.util.UUID;

/**
 * A chunk proposed by one or both search paths. Ranks start at 1 and are 0 where that path did not propose the chunk;
 * {@code fused} is its reciprocal-rank fusion score.
 */
record Candidate(UUID documentId, int chunkIndex, String section, String text, int vectorRank, double vectorScore,
        int keywordRank, double keywordScore, double fused) {

    /** The score a source shows: the vector score where the vector path found the chunk, else the keyword score. */
    double score() {
        return vectorRank > 0 ? vectorScore : keywordScore;
    }
}
