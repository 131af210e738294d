package io.docqa.ai;

/** The chat model could not answer. Messages never name hosts; a TIMEOUT's message says which limit was hit. */
public class LlmException extends RuntimeException {

    public enum Kind {
        /** The model server cannot be reached or answered 5xx: worth retrying later. */
        UNAVAILABLE,
        /** The configured model is not on the model server. */
        MODEL_NOT_FOUND,
        /** No first token, a stall between tokens, or an answer longer than allowed. */
        TIMEOUT,
        /** The model failed while answering, or answered something we cannot use. */
        FAILED
    }

    private final Kind kind;

    public LlmException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public LlmException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
