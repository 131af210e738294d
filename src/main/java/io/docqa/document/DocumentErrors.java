package io.docqa.document;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

import org.springframework.http.HttpStatus;
import io.docqa.ai.EmbedderUnavailableException;
import io.docqa.ai.VectorStoreUnavailableException;
import io.docqa.web.ApiException;

/** The problems that the pieces of ingestion raise, in the service's one error model. */
final class DocumentErrors {

    static final String VECTOR_STORE_UNAVAILABLE = "vector_store_unavailable";

    private DocumentErrors() {
    }

    static Throwable toProblem(Throwable error) {
        if (error instanceof ApiException) {
            return error;
        }
        if (error instanceof TooLargeException tooLarge) {
            return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "file_too_large",
                    "A file is larger than the limit of " + tooLarge.limit() + " bytes");
        }
        if (error instanceof UnsupportedDocumentException unsupported) {
            return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", unsupported.getMessage());
        }
        if (error instanceof UploadInterruptedException) {
            return new ApiException(HttpStatus.BAD_REQUEST, "upload_interrupted", error.getMessage());
        }
        if (error instanceof VectorStoreUnavailableException) {
            return vectorStoreUnavailable();
        }
        if (error instanceof RejectedExecutionException) {
            return ApiException.unavailable("busy", "The service is busy indexing; try again shortly", Duration.ofSeconds(5));
        }
        if (error instanceof EmbedderUnavailableException) {
            return embedderUnavailable();
        }
        if (error instanceof SpoolWriteException) {
            return new ApiException(HttpStatus.INSUFFICIENT_STORAGE, "insufficient_storage",
                    "The server has no room to store the upload now; try again later");
        }
        return error;
    }

    static ApiException vectorStoreUnavailable() {
        return ApiException.unavailable(VECTOR_STORE_UNAVAILABLE, "The vector store is unreachable; try again shortly",
                Duration.ofSeconds(10));
    }

    static ApiException embedderUnavailable() {
        return ApiException.unavailable("embedder_unavailable", "The embedding model is not available; try again later",
                Duration.ofSeconds(30));
    }
}
