package io.docqa.ai;

import java.util.UUID;

/**
 * A chunk found by a search. {@code score} is in [0, 1], higher is closer: {@code 1 - cosineDistance / 2}, that is
 * {@code (1 + cosineSimilarity) / 2} (LangChain4j's score for Chroma), so unrelated text scores about 0.5.
 * {@code section} is the chunk's heading path, null when its document has none.
 */
public record VectorMatch(UUID documentId, int chunkIndex, String section, String text, double score) {
}
