package io.docqa.ai;

/**
 * The in-process embedding models, chosen by {@code docqa.embedding.model}: all-MiniLM-L6-v2 as trained (fp32), or
 * LangChain4j's int8 quantization of it, the default (about twice the throughput on chunks, a quarter of the size,
 * vectors at a cosine of about 0.99 to fp32's, the same retrieval figures). Both give 384 dimensions; their vectors never mix, since a tenant's Chroma
 * collection is named after the model.
 */
public enum EmbeddingModel {

    ALL_MINILM_L6_V2("all-minilm-l6-v2", true),
    /** Quantizes its activations with one scale per run: texts run together would change each other's vectors. */
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", false);

    private final String id;
    private final boolean takesBatches;

    EmbeddingModel(String id, boolean takesBatches) {
        this.id = id;
        this.takesBatches = takesBatches;
    }

    /** The name in settings, collection names and logs; also the base name of its files on the classpath. */
    public String id() {
        return id;
    }

    /** Whether several texts may run through the model at once without changing each other's vectors. */
    boolean takesBatches() {
        return takesBatches;
    }

    String modelResource() {
        return id + ".onnx";
    }

    String tokenizerResource() {
        return id + "-tokenizer.json";
    }
}
