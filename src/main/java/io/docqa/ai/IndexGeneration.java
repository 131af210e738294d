package io.docqa.ai;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a tenant's vectors were made with: the embedding model, and the format of what is embedded for a chunk
 * (chunking, cleaning, the text put before it). Vectors of different generations never mix: each has a collection of
 * its own. Bump {@link #FORMAT} with any change that needs new vectors; every tenant is then re-indexed in the
 * background from the chunk texts in PostgreSQL, as after a change of {@code docqa.embedding.model}.
 */
public record IndexGeneration(EmbeddingModel model, int format) {

    /** The format this code embeds chunks in. */
    public static final int FORMAT = 1;

    /** What every vector written before index generations was made with: fp32, the only default model then. */
    public static final IndexGeneration BEFORE_GENERATIONS = new IndexGeneration(EmbeddingModel.ALL_MINILM_L6_V2, 1);

    public IndexGeneration {
        if (format < 1) {
            throw new IllegalArgumentException("format must be at least 1");
        }
    }

    static IndexGeneration of(EmbeddingModel model) {
        return new IndexGeneration(model, FORMAT);
    }

    /** The stored name, also the end of the collection's: the model's id, with {@code -f<format>} after format 1. */
    public String id() {
        return format == 1 ? model.id() : model.id() + "-f" + format;
    }

    /** The generation of a stored name; empty for one this code does not know (a model since removed). */
    public static Optional<IndexGeneration> parse(String id) {
        int suffix = id.lastIndexOf("-f");
        if (suffix > 0 && id.substring(suffix + 2).matches("[0-9]{1,6}")) {
            return modelOf(id.substring(0, suffix)).map(model -> new IndexGeneration(model, Integer.parseInt(id.substring(suffix + 2))));
        }
        return modelOf(id).map(IndexGeneration::of);
    }

    private static Optional<EmbeddingModel> modelOf(String id) {
        return Arrays.stream(EmbeddingModel.values()).filter(model -> model.id().equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id();
    }
}
