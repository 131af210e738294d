package io.docqa.chat;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

import org.springframework.http.HttpStatus;
import io.docqa.ai.LlmException;
import io.docqa.ai.VectorStoreUnavailableException;
import io.docqa.web.ApiException;
import io.docqa.web.Problems;

/** The model's and the vector store's failures, as problems a client can act on. */
final class ChatErrors {

    private ChatErrors() {
    }

    static ApiException toProblem(Throwable error) {
        if (error instanceof LlmException llm) {
            return switch (llm.kind()) {
                case MODEL_NOT_FOUND -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "model_not_found",
                        "The chat model is not available on the model server; pull it first");
                case UNAVAILABLE -> ApiException.unavailable("llm_unavailable", "The model server is unreachable", Duration.ofSeconds(10));
                case TIMEOUT -> new ApiException(HttpStatus.GATEWAY_TIMEOUT, "llm_timeout", llm.getMessage());
                case FAILED -> new ApiException(HttpStatus.BAD_GATEWAY, "llm_failed", "The model failed while answering");
            };
        }
        if (error instanceof VectorStoreUnavailableException) {
            return ApiException.unavailable("vector_store_unavailable", "The vector store is unreachable", Duration.ofSeconds(10));
        }
        if (error instanceof RejectedExecutionException) {
            return ApiException.unavailable("busy", "The service is busy; try again shortly", Duration.ofSeconds(5));
        }
        return Problems.of(error);
    }
}
