package io.docqa.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.docqa.ai.VectorMatch;
import io.docqa.document.KeywordHit;

/**
 * Reciprocal-rank fusion: a chunk scores {@code weight / (k + rank)} on each ranking that holds it, summed. It needs
 * no calibration between cosine similarities and text-search ranks, which live on unrelated scales.
 */
final class RankFusion {

    private RankFusion() {
    }

    static List<Candidate> fuse(List<VectorMatch> vector, List<KeywordHit> keyword, RetrievalProperties properties) {
        Map<Key, Candidate> byChunk = new LinkedHashMap<>();
        for (int i = 0; i < vector.size(); i++) {
            VectorMatch match = vector.get(i);
            byChunk.put(new Key(match.documentId(), match.chunkIndex()), new Candidate(match.documentId(), match.chunkIndex(),
                    match.section(), match.text(), i + 1, match.score(), 0, 0, properties.vectorWeight() / (properties.rrfK() + i + 1)));
        }
        for (int i = 0; i < keyword.size(); i++) {
            KeywordHit hit = keyword.get(i);
            int rank = i + 1;
            double fused = properties.keywordWeight() / (properties.rrfK() + rank);
            byChunk.merge(new Key(hit.documentId(), hit.chunkIndex()),
                    new Candidate(hit.documentId(), hit.chunkIndex(), hit.section(), hit.text(), 0, 0, rank, hit.score(), fused),
                    (found, added) -> new Candidate(found.documentId(), found.chunkIndex(),
                            found.section() != null ? found.section() : hit.section(), found.text(), found.vectorRank(),
                            found.vectorScore(), rank, hit.score(), found.fused() + fused));
        }
        List<Candidate> fused = new ArrayList<>(byChunk.values());
        fused.sort(Comparator.comparingDouble(Candidate::fused).reversed().thenComparing(Candidate::score, Comparator.reverseOrder()));
        return fused;
    }

    private record Key(UUID documentId, int chunkIndex) {
    }
}
