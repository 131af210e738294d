package io.docqa.chat;

import java.util.UUID;

/**
 * A retrieved passage as the client sees it; its position in the list is its citation number minus one.
 * {@code section} is its heading path, null where the document has none; {@code score} is in [0, 1]: the vector score
 * where the vector search found the passage, else its keyword score (see {@link Candidate#score()}).
 */
record Source(UUID documentId, String filename, int chunkIndex, String section, double score, String text) {
}
