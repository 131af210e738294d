package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import io.docqa.ai.VectorMatch;
import io.docqa.document.KeywordHit;

class RankFusionTest {

    private static final UUID DOC = UUID.randomUUID();

    @Test
    void aChunkBothPathsRankWellComesFirst() {
        List<Candidate> fused = RankFusion.fuse(List.of(vector(1, 0.8), vector(2, 0.75)),
                List.of(keyword(3, 0.5), keyword(2, 0.4)), RetrievalPropertiesTest.retrievalProperties(Map.of()));

        assertThat(fused).extracting(Candidate::chunkIndex).as("both paths' second, then the keyword path's first, then the vector path's")
                .containsExactly(2, 3, 1);
        Candidate both = fused.get(0);
        assertThat(both.vectorRank()).isEqualTo(2);
        assertThat(both.keywordRank()).isEqualTo(2);
        assertThat(both.fused()).isEqualTo(1.0 / 3 + 1.25 / 3);
        assertThat(both.score()).isEqualTo(0.75);
        assertThat(both.section()).isEqualTo("Keyword section 2");
        assertThat(fused.get(1).score()).as("a keyword-only chunk shows its keyword score").isEqualTo(0.5);
    }

    @Test
    void aPathsFirstChunkOutweighsAChunkBothPathsRankThird() {
        List<Candidate> fused = RankFusion.fuse(List.of(vector(1, 0.9), vector(2, 0.8), vector(3, 0.7)),
                List.of(keyword(4, 1.0), keyword(5, 0.9), keyword(3, 0.8)), RetrievalPropertiesTest.retrievalProperties(Map.of()));

        assertThat(fused).extracting(Candidate::chunkIndex).as("keyword first 1.25/2, both third 2.25/4, vector first 1/2")
                .startsWith(4, 3, 1);
    }

    @Test
    void theKeywordPathWinsATieOfRanks() {
        List<Candidate> fused = RankFusion.fuse(List.of(vector(1, 0.9)), List.of(keyword(2, 1.0)),
                RetrievalPropertiesTest.retrievalProperties(Map.of()));

        assertThat(fused).extracting(Candidate::chunkIndex).containsExactly(2, 1);
    }

    @Test
    void weightsAndKAreSettings() {
        RetrievalProperties keywordFirst = RetrievalPropertiesTest.retrievalProperties(Map.of("keyword-weight", "3", "rrf-k", "0"));

        List<Candidate> fused = RankFusion.fuse(List.of(vector(1, 0.8)), List.of(keyword(3, 0.2)), keywordFirst);

        assertThat(fused).extracting(Candidate::chunkIndex).containsExactly(3, 1);
        assertThat(fused.get(0).fused()).isEqualTo(3.0);
    }

    private static VectorMatch vector(int chunk, double score) {
        return new VectorMatch(DOC, chunk, null, "chunk " + chunk, score);
    }

    private static KeywordHit keyword(int chunk, double score) {
        return new KeywordHit(DOC, "doc.txt", chunk, "Keyword section " + chunk, "chunk " + chunk, score, 0, 1, 0, 1);
    }
}
