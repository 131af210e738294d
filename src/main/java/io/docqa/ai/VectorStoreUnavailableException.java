package io.docqa.ai;

/**
 * Chroma cannot be reached, timed out, failed (5xx) or has too many calls waiting: the operation may succeed later
 * (answer 503). The message is safe to show; the cause holds the details.
 */
public class VectorStoreUnavailableException extends RuntimeException {

    VectorStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
