package io.docqa.ai;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import dev.langchain4j.exception.HttpException;

/** Sorts what LangChain4j's Chroma store and {@link ChromaCollections} throw into "try again later" and bugs. */
final class ChromaFailures {

    private ChromaFailures() {
    }

    /** Chroma answered 404: the collection (or the cached id of it) is gone. */
    static boolean isMissingCollection(Throwable error) {
        return status(error) == 404;
    }

    /** Chroma answered 409: something this call meant to create (a collection, database or tenant) exists already. */
    static boolean isConflict(Throwable error) {
        return status(error) == 409;
    }

    static Throwable translate(Throwable error) {
        if (error instanceof VectorStoreUnavailableException) {
            return error;
        }
        if (error instanceof RejectedExecutionException) {
            return new VectorStoreUnavailableException("Too many calls to the vector store are waiting", error);
        }
        if (error instanceof TimeoutException) {
            return new VectorStoreUnavailableException("The vector store did not answer in time", error);
        }
        int status = status(error);
        if (status >= 500) {
            return new VectorStoreUnavailableException("The vector store failed", error);
        }
        if (status >= 400) {
            return new IllegalStateException("The vector store rejected a request (HTTP " + status + ")", error);
        }
        if (causedBy(error, IOException.class) || causedBy(error, dev.langchain4j.exception.TimeoutException.class)
                || causedBy(error, InterruptedException.class)) {
            return new VectorStoreUnavailableException("The vector store is unreachable", error);
        }
        return error;
    }

    private static int status(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                return http.statusCode();
            }
        }
        return 0;
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
