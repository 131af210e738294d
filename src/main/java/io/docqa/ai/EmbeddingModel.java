package io.docqa.ai;

/**
 * The in-process embedding models, chosen by {@code docqa.embedding.model}: all-MiniLM-L6-v2 as trained (fp32), or
 * LangChain4j's int8 quantization of it (about twice the throughput on chunks, a quarter of the size, vectors at a
 * cosine of about 0.99 to fp32's). Both give 384 dimensions; their vectors never mix, since a tenant's Chroma
 * collection is named after the model.
 */
public enum EmbeddingModel {

    ALL_MINILM_L6_V2("all-minilm-l6-v2"),
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q");

    private final String id;

    EmbeddingModel(String id) {
        this.id = id;
    }

    /** The name in settings, collection names and logs; also the base name of its files on the classpath. */
    public String id() {
        return id;
    }

    String modelResource() {
        return id + ".onnx";
    }

    String tokenizerResource() {
        return id + "-tokenizer.json";
    }
}
