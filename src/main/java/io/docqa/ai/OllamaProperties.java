package io.docqa.ai;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Ollama chat model. {@code baseUrl} and {@code model} bind from DOCQA_OLLAMA_BASE_URL and DOCQA_OLLAMA_MODEL.
 * The three answer timeouts are enforced by {@link OllamaChat} on the token stream, not by the HTTP client;
 * {@code probeTimeout} bounds the availability checks used by readiness. Without {@code required}, an unreachable model
 * server (or a model it does not have) is no failure: answers list the passages found and readiness does not wait for it.
 */
@ConfigurationProperties("docqa.ollama")
record OllamaProperties(
        @DefaultValue("http://localhost:11434") URI baseUrl,
        @DefaultValue("llama3.2:3b") String model,
        @DefaultValue("60s") Duration firstTokenTimeout,
        @DefaultValue("30s") Duration stallTimeout,
        @DefaultValue("5m") Duration answerTimeout,
        @DefaultValue("1024") int maxOutputTokens,
        @DefaultValue("0.2") double temperature,
        @DefaultValue("2s") Duration probeTimeout,
        @DefaultValue("true") boolean required) {

    OllamaProperties {
        requirePositive(firstTokenTimeout, "first-token-timeout");
        requirePositive(stallTimeout, "stall-timeout");
        requirePositive(answerTimeout, "answer-timeout");
        requirePositive(probeTimeout, "probe-timeout");
        if (maxOutputTokens < 1) {
            throw new IllegalArgumentException("docqa.ollama.max-output-tokens must be at least 1");
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("docqa.ollama." + name + " must be a positive duration");
        }
    }
}
