package io.docqa.document;

import java.util.UUID;

/**
 * A chunk found by keyword search. {@code score} is PostgreSQL's cover-density rank scaled to [0, 1)
 * ({@code rank / (rank + 1)}); {@code matchedTerms} of the query's {@code queryTerms} distinct stemmed content words
 * occur in the chunk.
 */
public record KeywordHit(UUID documentId, String filename, int chunkIndex, String section, String text, double score,
        int matchedTerms, int queryTerms) {
}
