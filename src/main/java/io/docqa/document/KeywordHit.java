package io.docqa.document;

import java.util.UUID;

/**
 * A chunk found by keyword search. {@code score} in [0, 1] is the share of the query's words the chunk holds, each
 * word weighted by its rarity (inverse document frequency); {@code headingScore} the share its heading path
 * ({@code section}) holds alone; {@code matchedTerms} of the query's {@code queryTerms} distinct stemmed content words
 * occur in it, {@code headingTerms} in its heading path.
 */
public record KeywordHit(UUID documentId, String filename, int chunkIndex, String section, String text, double score,
        double headingScore, int matchedTerms, int headingTerms, int queryTerms) {
}
