package io.docqa.ai;

/**
 * The embedding model could not be loaded (ONNX Runtime's native library or the model file could not be unpacked,
 * e.g. a full temporary directory). Requests that need it are refused at once (answer 503) until a later load works.
 */
public class EmbedderUnavailableException extends RuntimeException {

    EmbedderUnavailableException(Throwable cause) {
        super("The embedding model could not be loaded: " + cause, cause);
    }
}
