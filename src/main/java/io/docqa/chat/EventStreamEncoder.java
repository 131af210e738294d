package io.docqa.chat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.springframework.http.codec.ServerSentEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * One answer's events as {@code text/event-stream} bytes, the lines Spring's {@code ServerSentEvent} writer gives
 * ({@code id:}, {@code event:}, {@code retry:}, {@code data:}), numbered from 1. A token, the event an answer has
 * hundreds of, is put together from prebuilt bytes and its escaped text; the few other events go through Jackson.
 */
final class EventStreamEncoder {

    static final byte[] KEEP_ALIVE = ":keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ID = "id:".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TOKEN = "\nevent:token\ndata:{\"text\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TOKEN_END = "\"}\n\n".getBytes(StandardCharsets.UTF_8);

    private final JsonMapper json;
    private long id;

    EventStreamEncoder(JsonMapper json) {
        this.json = json;
    }

    byte[] encode(ChatEvent event) {
        byte[] number = Long.toString(++id).getBytes(StandardCharsets.ISO_8859_1);
        if (event instanceof ChatEvent.Token token) {
            byte[] text = JsonText.quoted(token.text());
            ByteArrayOutputStream out = new ByteArrayOutputStream(ID.length + number.length + TOKEN.length + text.length + TOKEN_END.length);
            out.writeBytes(ID);
            out.writeBytes(number);
            out.writeBytes(TOKEN);
            out.writeBytes(text);
            out.writeBytes(TOKEN_END);
            return out.toByteArray();
        }
        Object data = event instanceof ChatEvent.Started started ? new ConversationData(started.conversationId()) : event;
        return ("id:" + id + "\nevent:" + name(event) + "\ndata:" + json.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The number the next event gets, for an event made elsewhere (the error that ends a stream). */
    String nextId() {
        return Long.toString(++id);
    }

    /** An event made elsewhere, with data that is JSON: {@code event: error} and its problem. */
    byte[] encode(ServerSentEvent<?> event) {
        StringBuilder text = new StringBuilder();
        if (event.id() != null) {
            text.append("id:").append(event.id()).append('\n');
        }
        if (event.event() != null) {
            text.append("event:").append(event.event()).append('\n');
        }
        if (event.retry() != null) {
            text.append("retry:").append(event.retry().toMillis()).append('\n');
        }
        text.append("data:").append(json.writeValueAsString(event.data())).append("\n\n");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String name(ChatEvent event) {
        if (event instanceof ChatEvent.Started) {
            return "conversation";
        }
        return event instanceof ChatEvent.Sources ? "sources" : "done";
    }

    record ConversationData(UUID conversationId) {
    }
}
