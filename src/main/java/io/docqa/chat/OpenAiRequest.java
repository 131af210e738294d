package io.docqa.chat;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/chat/completions} as far as docqa reads it; OpenAI's other fields ({@code temperature},
 * {@code max_tokens}, {@code stop}, tools...) are accepted and ignored: the service's own model settings apply.
 * {@code content} is a string or an array of text parts, as OpenAI's clients send either.
 */
record OpenAiRequest(String model, List<Message> messages, Boolean stream, StreamOptions streamOptions, Integer n) {

    record Message(String role, JsonNode content) {
    }

    record StreamOptions(Boolean includeUsage) {
    }

    boolean streamed() {
        return Boolean.TRUE.equals(stream);
    }

    boolean usageInStream() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }
}
