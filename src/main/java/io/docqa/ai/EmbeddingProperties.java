package io.docqa.ai;

import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code embed} scheduler: {@code threads} ONNX sessions at once (0: one per core), and at most
 * {@code maxQueuedTexts} texts waiting for one (questions of a burst, chunks of uploads) before callers get
 * {@link EmbedderBusyException}. A question costs about 5 ms, so the default queue drains in about 5 s on 2 cores.
 * {@code maxSequenceLength}: tokens the model sees at once, [CLS] and [SEP] included (all-MiniLM-L6-v2 was trained at
 * 256, takes 512 at most); a longer text is embedded in windows of that many tokens, whose vectors are averaged.
 * {@code model}: which {@link EmbeddingModel}; int8 by default (on RetrievalBenchmark it finds the right pages as often as
 * fp32 and refuses the same questions, at about twice the chunks per second). {@code batchSize}, {@code batchTokens}: windows of chunks run through
 * the fp32 model at once, and their padded tokens, at most (the int8 model takes one at a time). {@code questionThreads}: threads a question runs on while nothing else is
 * embedded (1: one thread always; more keeps a second session of the model, 90 MB for fp32). {@code batchQuestions}:
 * fp32 questions that are waiting for the embedder when it frees up run together, up to {@code batchSize} at once.
 */
@ConfigurationProperties("docqa.embedding")
record EmbeddingProperties(
        @DefaultValue("0") int threads,
        @DefaultValue("2048") int maxQueuedTexts,
        @DefaultValue("256") int maxSequenceLength,
        @DefaultValue("all-minilm-l6-v2-q") EmbeddingModel model,
        @DefaultValue("8") int batchSize,
        @DefaultValue("256") int batchTokens,
        @DefaultValue("2") int questionThreads,
        @DefaultValue("true") boolean batchQuestions) {

    static final int MODEL_MAX_SEQUENCE_LENGTH = 512;

    @ConstructorBinding
    EmbeddingProperties {
        Objects.requireNonNull(model, "docqa.embedding.model");
        if (threads < 0) {
            throw new IllegalArgumentException("docqa.embedding.threads must not be negative");
        }
        if (maxQueuedTexts < 1) {
            throw new IllegalArgumentException("docqa.embedding.max-queued-texts must be at least 1");
        }
        if (maxSequenceLength < 16 || maxSequenceLength > MODEL_MAX_SEQUENCE_LENGTH) {
            throw new IllegalArgumentException(
                    "docqa.embedding.max-sequence-length must be between 16 and " + MODEL_MAX_SEQUENCE_LENGTH);
        }
        if (batchSize < 1 || batchTokens < 1 || questionThreads < 1) {
            throw new IllegalArgumentException("docqa.embedding.batch-size, batch-tokens and question-threads must be at least 1");
        }
    }

    EmbeddingProperties(int threads, int maxQueuedTexts, int maxSequenceLength) {
        this(threads, maxQueuedTexts, maxSequenceLength, EmbeddingModel.ALL_MINILM_L6_V2_Q);
    }

    EmbeddingProperties(int threads, int maxQueuedTexts, int maxSequenceLength, EmbeddingModel model) {
        this(threads, maxQueuedTexts, maxSequenceLength, model, 8, 256, 2, true);
    }

    static EmbeddingProperties defaults() {
        return new EmbeddingProperties(0, 2048, 256);
    }

    EmbeddingProperties withModel(EmbeddingModel other) {
        return new EmbeddingProperties(threads, maxQueuedTexts, maxSequenceLength, other, batchSize, batchTokens, questionThreads,
                batchQuestions);
    }

    int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
