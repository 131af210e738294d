package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.codec.ServerSentEventHttpMessageWriter;
import org.springframework.http.codec.json.JacksonJsonEncoder;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.server.MockServerWebExchange;
import io.docqa.web.ApiException;
import io.docqa.web.ProblemWriter;
import reactor.core.publisher.Flux;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hand-made event stream is byte for byte what Spring's {@code ServerSentEvent} writer made of the same events. A
 * token's text is escaped without the mapper, so the mapper's settings (here only the app's snake case) do not reach it:
 * a setting that changes how strings are written would show here as a difference from Spring's writer.
 */
class EventStreamEncoderTest {

    private final JsonMapper json = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    @Test
    void writesWhatSpringsServerSentEventWriterWrites() {
        UUID conversation = UUID.randomUUID();
        List<ChatEvent> events = List.of(new ChatEvent.Started(conversation),
                new ChatEvent.Sources(List.of(new Source(UUID.randomUUID(), "a \"b\".md", 3, null, 0.5, "text\nwith lines"))),
                new ChatEvent.Token(" word"),
                new ChatEvent.Token("quotes \" back\\slash / tab\t newline\n nul\u0000 é \u2028 😀 <b>&'"),
                new ChatEvent.Token(""),
                new ChatEvent.Done(UUID.randomUUID(), conversation, "stop", new ChatEvent.Usage(12, 3)));
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/chat"));
        ApiException problem = ApiException.unavailable("llm_unavailable", "The model is down", Duration.ofSeconds(3));

        EventStreamEncoder encoder = new EventStreamEncoder(json);
        StringBuilder ours = new StringBuilder();
        events.forEach(event -> ours.append(new String(encoder.encode(event), StandardCharsets.UTF_8)));
        assertThat(encoder.nextId()).isEqualTo("7");
        ServerSentEvent<Object> error = ProblemWriter.event(problem, exchange, "7");
        ours.append(new String(encoder.encode(error), StandardCharsets.UTF_8));
        ours.append(new String(EventStreamEncoder.KEEP_ALIVE, StandardCharsets.UTF_8));

        assertThat(ours.toString()).isEqualTo(spring(events, error));
    }

    /** An unpaired surrogate (a passage copied verbatim can hold one) becomes U+FFFD; the stream goes on. */
    @Test
    void writesAnUnpairedSurrogateAsTheReplacementCharacter() {
        EventStreamEncoder encoder = new EventStreamEncoder(json);
        assertThat(new String(encoder.encode(new ChatEvent.Token("a\uD83D")), StandardCharsets.UTF_8))
                .isEqualTo("id:1\nevent:token\ndata:{\"text\":\"a\uFFFD\"}\n\n");
        assertThat(new String(encoder.encode(new ChatEvent.Token("\uDC00b")), StandardCharsets.UTF_8))
                .isEqualTo("id:2\nevent:token\ndata:{\"text\":\"\uFFFDb\"}\n\n");
        assertThat(new String(encoder.encode(new ChatEvent.Token("\uD83D\uD83D\uDE00 \uDE00")), StandardCharsets.UTF_8))
                .isEqualTo("id:3\nevent:token\ndata:{\"text\":\"\uFFFD\uD83D\uDE00 \uFFFD\"}\n\n");
    }

    /** What the handler wrote before: each event as a {@code ServerSentEvent}, through Spring's writer and Jackson. */
    private String spring(List<ChatEvent> events, ServerSentEvent<Object> error) {
        List<ServerSentEvent<Object>> written = new java.util.ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            ChatEvent event = events.get(i);
            Object data = event instanceof ChatEvent.Started started ? new EventStreamEncoder.ConversationData(started.conversationId()) : event;
            String name = event instanceof ChatEvent.Started ? "conversation" : event instanceof ChatEvent.Sources ? "sources"
                    : event instanceof ChatEvent.Token ? "token" : "done";
            written.add(ServerSentEvent.<Object>builder(data).id(Long.toString(i + 1)).event(name).build());
        }
        written.add(error);
        written.add(ServerSentEvent.<Object>builder().comment("keep-alive").build());
        MockServerHttpResponse response = new MockServerHttpResponse();
        new ServerSentEventHttpMessageWriter(new JacksonJsonEncoder(json))
                .write(Flux.fromIterable(written), ResolvableType.forClass(ServerSentEvent.class), MediaType.TEXT_EVENT_STREAM,
                        response, java.util.Map.of())
                .block();
        return response.getBodyAsString().block();
    }
}
