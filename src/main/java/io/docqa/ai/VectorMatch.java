package io.docqa.ai;

import java.util.UUID;

/**
 * A chunk found by a search. {@code score} is in [0, 1], higher is closer: {@code 1 - cosineDistance / 2}, that is
 * {@code (1 + cosineSimilarity) / 2} (LangChain4j's score for Chroma), so unrelated text scores about 0.5.
 * {@code section} is the chunk's heading path, null when its document has none. {@code text} is null as the index
 * answers (Chroma keeps no texts) until {@link #withText} puts the chunk's text from PostgreSQL in.
 */
public record VectorMatch(UUID documentId, int chunkIndex, String section, String text, double score) {

    public VectorMatch withText(String chunkText) {
        return new VectorMatch(documentId, chunkIndex, section, chunkText, score);
    }
}
