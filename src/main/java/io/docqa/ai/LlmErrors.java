package io.docqa.ai;

import java.io.IOException;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.ollama.OllamaStreamingException;

/** What LangChain4j and {@link ReactorHttpClient} report, as the few kinds of failure callers act on. */
final class LlmErrors {

    private LlmErrors() {
    }

    static LlmException from(Throwable error, String model) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof LlmException llm) {
                return llm;
            }
            if (cause instanceof ModelNotFoundException
                    || cause instanceof HttpException http && http.statusCode() == 404) {
                return new LlmException(LlmException.Kind.MODEL_NOT_FOUND,
                        "The model '" + model + "' is not on the model server", error);
            }
            if (cause instanceof OllamaStreamingException) {
                return new LlmException(LlmException.Kind.FAILED, "The model failed while answering", error);
            }
            if (cause instanceof TimeoutException) {
                return new LlmException(LlmException.Kind.TIMEOUT, "The model server sent no response in time", error);
            }
            if (cause instanceof InternalServerException || cause instanceof RateLimitException
                    || cause instanceof HttpException http && http.statusCode() >= 500
                    || cause instanceof IOException) {
                return new LlmException(LlmException.Kind.UNAVAILABLE, "The model server is unavailable", error);
            }
        }
        return new LlmException(LlmException.Kind.FAILED, "The model failed while answering", error);
    }
}
