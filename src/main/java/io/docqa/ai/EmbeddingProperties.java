package io.docqa.ai;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code embed} scheduler: {@code threads} ONNX sessions at once (0: one per core), and at most
 * {@code maxQueuedTexts} texts waiting for one (questions of a burst, chunks of uploads) before callers get
 * {@link EmbedderBusyException}. A question costs about 5 ms, so the default queue drains in about 5 s on 2 cores.
 */
@ConfigurationProperties("docqa.embedding")
record EmbeddingProperties(
        @DefaultValue("0") int threads,
        @DefaultValue("2048") int maxQueuedTexts) {

    EmbeddingProperties {
        if (threads < 0) {
            throw new IllegalArgumentException("docqa.embedding.threads must not be negative");
        }
        if (maxQueuedTexts < 1) {
            throw new IllegalArgumentException("docqa.embedding.max-queued-texts must be at least 1");
        }
    }

    int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
