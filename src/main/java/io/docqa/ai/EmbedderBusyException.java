package io.docqa.ai;

import java.util.concurrent.RejectedExecutionException;

/** The embedder has more texts waiting than it accepts; the caller may try again shortly (answer 503). */
public class EmbedderBusyException extends RejectedExecutionException {

    EmbedderBusyException(Throwable cause) {
        super("The embedding model is busy: too many texts are waiting", cause);
    }
}
