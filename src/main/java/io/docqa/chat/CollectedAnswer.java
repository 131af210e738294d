package io.docqa.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import io.docqa.web.ApiException;

/** A whole answer gathered from its events, for the clients that take it at once. */
final class CollectedAnswer {

    private final StringBuilder text = new StringBuilder();
    private final List<Source> sources = new ArrayList<>();
    private ChatEvent.Done done;
    private UUID conversationId;

    CollectedAnswer add(ChatEvent event) {
        if (event instanceof ChatEvent.Started started) {
            conversationId = started.conversationId();
        }
        else if (event instanceof ChatEvent.Sources found) {
            sources.addAll(found.sources());
        }
        else if (event instanceof ChatEvent.Token token) {
            text.append(token.text());
        }
        else if (event instanceof ChatEvent.Done finished) {
            done = finished;
        }
        return this;
    }

    Answer answer() {
        if (done == null) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "llm_failed", "The answer did not complete");
        }
        return new Answer(conversationId, done.messageId(), text.toString(), sources, done.usage(), done.finishReason());
    }

    /** The body of {@code POST /api/v1/chat} with {@code Accept: application/json}. */
    record Answer(UUID conversationId, UUID messageId, String answer, List<Source> sources, ChatEvent.Usage usage,
            String finishReason) {
    }
}
