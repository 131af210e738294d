package io.docqa.chat;

import java.util.List;
import java.util.UUID;

/** What an answer streams, in order: the conversation, the sources, tokens, then done (or an error). */
sealed interface ChatEvent {

    record Started(UUID conversationId) implements ChatEvent {
    }

    record Sources(List<Source> sources) implements ChatEvent {
    }

    record Token(String text) implements ChatEvent {
    }

    record Done(UUID messageId, UUID conversationId, String finishReason, Usage usage) implements ChatEvent {
    }

    record Usage(int promptTokens, int completionTokens) {
    }
}
