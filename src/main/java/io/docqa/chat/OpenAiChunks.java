package io.docqa.chat;

import java.util.List;
import java.util.UUID;

import io.docqa.chat.OpenAiCompletion.Chunk;
import io.docqa.chat.OpenAiCompletion.ChunkChoice;
import io.docqa.chat.OpenAiCompletion.Delta;

/**
 * The chunks of one streamed completion, event by event: the conversation names the completion
 * ({@code chatcmpl-<conversation id>}), the sources open it with the assistant's role, each token is a delta, and done
 * closes it with the finish reason (and, when the client asked for it, a last chunk with the usage).
 */
final class OpenAiChunks {

    private final long created;
    private final boolean usage;
    private String id;

    OpenAiChunks(long created, boolean usage) {
        this.created = created;
        this.usage = usage;
    }

    static String id(UUID conversationId) {
        return "chatcmpl-" + conversationId;
    }

    List<Chunk> of(ChatEvent event) {
        if (event instanceof ChatEvent.Started started) {
            id = id(started.conversationId());
            return List.of();
        }
        if (event instanceof ChatEvent.Sources found) {
            return List.of(new Chunk(id, created, List.of(new ChunkChoice(new Delta("assistant", ""), null)), null, found.sources()));
        }
        if (event instanceof ChatEvent.Token token) {
            return List.of(new Chunk(id, created, List.of(new ChunkChoice(new Delta(null, token.text()), null)), null, null));
        }
        ChatEvent.Done done = (ChatEvent.Done) event;
        Chunk last = new Chunk(id, created,
                List.of(new ChunkChoice(new Delta(null, null), OpenAiCompletion.finishReason(done.finishReason()))), null, null);
        return usage ? List.of(last, new Chunk(id, created, List.of(), OpenAiCompletion.Usage.of(done.usage()), null)) : List.of(last);
    }
}
