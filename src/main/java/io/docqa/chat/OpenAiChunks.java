package io.docqa.chat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.docqa.chat.OpenAiCompletion.Chunk;
import io.docqa.chat.OpenAiCompletion.ChunkChoice;
import io.docqa.chat.OpenAiCompletion.Delta;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chunks of one streamed completion, event by event: the conversation names the completion
 * ({@code chatcmpl-<conversation id>}), the sources open it with the assistant's role, each token is a delta, and done
 * closes it with the finish reason (and, when the client asked for it, a last chunk with the usage). As {@code data:}
 * lines, a token's chunk is the JSON of the completion's first token chunk with the text put in place: Jackson once per
 * completion rather than once per token.
 */
final class OpenAiChunks {

    /** A text that no other field of a chunk holds (NUL), and how Jackson escapes it: the place of each token's text. */
    private static final String MARK = String.valueOf((char) 0);
    private static final String PLACE = "\\u0000";

    private final long created;
    private final boolean usage;
    private final JsonMapper json;
    private String id;
    private byte[] beforeText;
    private byte[] afterText;

    OpenAiChunks(long created, boolean usage, JsonMapper json) {
        this.created = created;
        this.usage = usage;
        this.json = json;
    }

    /** One event as {@code data:} lines, each with its blank line. */
    List<byte[]> lines(ChatEvent event) {
        if (event instanceof ChatEvent.Token token && id != null) {
            if (beforeText == null) {
                String template = line(tokenChunk(MARK));
                int place = template.indexOf(PLACE);
                beforeText = template.substring(0, place).getBytes(StandardCharsets.UTF_8);
                afterText = template.substring(place + PLACE.length()).getBytes(StandardCharsets.UTF_8);
            }
            byte[] text = JsonText.quoted(token.text());
            ByteArrayOutputStream out = new ByteArrayOutputStream(beforeText.length + text.length + afterText.length);
            out.writeBytes(beforeText);
            out.writeBytes(text);
            out.writeBytes(afterText);
            return List.of(out.toByteArray());
        }
        List<byte[]> lines = new ArrayList<>(2);
        of(event).forEach(chunk -> lines.add(line(chunk).getBytes(StandardCharsets.UTF_8)));
        return lines;
    }

    /** One event as OpenAI writes it: {@code data: } and the JSON (or {@code [DONE]}), then a blank line. */
    String line(Object data) {
        return "data: " + (data instanceof String text ? text : json.writeValueAsString(data)) + "\n\n";
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
            return List.of(tokenChunk(token.text()));
        }
        ChatEvent.Done done = (ChatEvent.Done) event;
        Chunk last = new Chunk(id, created,
                List.of(new ChunkChoice(new Delta(null, null), OpenAiCompletion.finishReason(done.finishReason()))), null, null);
        return usage ? List.of(last, new Chunk(id, created, List.of(), OpenAiCompletion.Usage.of(done.usage()), null)) : List.of(last);
    }

    private Chunk tokenChunk(String text) {
        return new Chunk(id, created, List.of(new ChunkChoice(new Delta(null, text), null)), null, null);
    }
}
