package io.docqa.document;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Chunk size and overlap in characters. */
@ConfigurationProperties("docqa.chunking")
record ChunkingProperties(@DefaultValue("800") int size, @DefaultValue("100") int overlap) {

    ChunkingProperties {
        if (size < 50 || overlap < 0 || overlap >= size / 2) {
            throw new IllegalArgumentException("docqa.chunking needs size >= 50 and 0 <= overlap < size / 2");
        }
    }
}
