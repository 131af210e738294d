package io.docqa.ai;

import java.util.Objects;
import java.util.UUID;

/** One chunk of a document with its heading path (null where it has none) and its embedding, as it goes into the vector index. */
public record VectorChunk(UUID documentId, int chunkIndex, String section, String text, float[] vector) {

    public VectorChunk {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(vector, "vector");
        if (chunkIndex < 0) {
            throw new IllegalArgumentException("chunkIndex must not be negative");
        }
    }
}
