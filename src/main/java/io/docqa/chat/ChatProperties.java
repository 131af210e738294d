package io.docqa.chat;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the chat feature. {@code defaultMinScore} is a relevance score from 0 to 1 derived from cosine similarity;
 * {@code historyTokenBudget} is estimated as characters / 4.
 */
@ConfigurationProperties("docqa.chat")
record ChatProperties(
        @DefaultValue("4") int maxConcurrentGenerations,
        @DefaultValue("100") int maxQueuedGenerations,
        @DefaultValue("5s") Duration queueRetryAfter,
        @DefaultValue("4000") int maxQuestionLength,
        @DefaultValue("4") int defaultTopK,
        @DefaultValue("20") int maxTopK,
        @DefaultValue("0.6") double defaultMinScore,
        @DefaultValue("12000") int maxContextChars,
        @DefaultValue("1500") int historyTokenBudget,
        @DefaultValue("100") int maxDocumentIds,
        @DefaultValue("15s") Duration keepAliveInterval) {

    ChatProperties {
        require(maxConcurrentGenerations >= 1, "max-concurrent-generations must be at least 1");
        require(maxQueuedGenerations >= 0, "max-queued-generations must not be negative");
        require(!queueRetryAfter.isNegative(), "queue-retry-after must not be negative");
        require(maxQuestionLength >= 1, "max-question-length must be at least 1");
        require(maxTopK >= 1 && defaultTopK >= 1 && defaultTopK <= maxTopK, "default-top-k must be from 1 to max-top-k");
        require(defaultMinScore >= 0 && defaultMinScore <= 1, "default-min-score must be from 0 to 1");
        require(maxContextChars >= 1, "max-context-chars must be at least 1");
        require(historyTokenBudget >= 0, "history-token-budget must not be negative");
        require(maxDocumentIds >= 1, "max-document-ids must be at least 1");
        require(!keepAliveInterval.isNegative() && !keepAliveInterval.isZero(), "keep-alive-interval must be positive");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("docqa.chat." + message);
        }
    }
}
