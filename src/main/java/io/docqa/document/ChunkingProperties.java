package io.docqa.document;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How text is cut for embedding: chunks of at most {@code size} characters, each repeating about {@code overlap}
 * characters of the one before. 800/100 keeps a chunk within all-MiniLM-L6-v2's 256-token window for English prose.
 * With {@code sectionInEmbedding} the text embedded is the chunk's heading path, a blank line and its text (the text
 * stored and shown stays the chunk's own).
 */
@ConfigurationProperties("docqa.chunking")
record ChunkingProperties(@DefaultValue("800") int size, @DefaultValue("100") int overlap,
        @DefaultValue("false") boolean sectionInEmbedding) {

    static final int MIN_SIZE = 10;
    static final int MAX_SIZE = 100_000;

    @ConstructorBinding
    ChunkingProperties {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("docqa.chunking.size must be between " + MIN_SIZE + " and " + MAX_SIZE + ", was " + size);
        }
        if (overlap < 0 || overlap >= size) {
            throw new IllegalArgumentException("docqa.chunking.overlap must be at least 0 and less than the size, was " + overlap);
        }
    }

    ChunkingProperties(int size, int overlap) {
        this(size, overlap, false);
    }

    static ChunkingProperties defaults() {
        return new ChunkingProperties(800, 100);
    }

    /** What is embedded for a chunk. */
    String embedded(TextChunk chunk) {
        return sectionInEmbedding && chunk.section() != null ? chunk.section() + "\n\n" + chunk.text() : chunk.text();
    }
}
