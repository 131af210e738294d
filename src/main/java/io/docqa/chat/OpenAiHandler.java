package io.docqa.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.Caller;
import io.docqa.web.ApiException;
import io.docqa.web.RequestBodies;
import io.docqa.web.ShutdownDrain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's chat-completions protocol over the caller's documents: the same {@link Answering} as {@code /api/v1/chat},
 * its events told as a {@code chat.completion} or as {@code data:} lines of {@code chat.completion.chunk}s ending with
 * {@code data: [DONE]}. A failure after the first line is a last {@code data:} line holding OpenAI's error body.
 */
@Component
class OpenAiHandler {

    private static final String DONE = "[DONE]";
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final Answering answering;
    private final OpenAiMessages messages;
    private final OpenAiErrors errors;
    private final RequestBodies bodies;
    private final JsonMapper json;
    private final Duration keepAlive;
    private final ShutdownDrain shutdown;

    OpenAiHandler(Answering answering, OpenAiMessages messages, OpenAiErrors errors, RequestBodies bodies, JsonMapper json,
            ChatProperties properties, ShutdownDrain shutdown) {
        this.shutdown = shutdown;
        this.answering = answering;
        this.messages = messages;
        this.errors = errors;
        this.bodies = bodies;
        this.json = json;
        this.keepAlive = properties.keepAliveInterval();
    }

    Mono<ServerResponse> completions(ServerRequest request) {
        long created = Instant.now().getEpochSecond();
        return bodies.read(request, OpenAiRequest.class)
                .flatMap(body -> {
                    OpenAiMessages.Asked asked = messages.read(body);
                    return Caller.of(request)
                            .flatMap(caller -> answering.answer(caller, asked.question(), asked.earlier()))
                            .map(shutdown::endedAtShutdown)
                            .flatMap(events -> body.streamed()
                                    ? streamed(new OpenAiChunks(created, body.usageInStream(), json), events)
                                    : whole(created, events));
                });
    }

    Mono<ServerResponse> models(ServerRequest request) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("object", "list", "data", List.of(OpenAiModel.DOCQA)));
    }

    Mono<ServerResponse> model(ServerRequest request) {
        String id = request.pathVariable("model");
        if (!OpenAiMessages.MODEL.equals(id)) {
            return Mono.error(new ApiException(HttpStatus.NOT_FOUND, "model_not_found",
                    "The model '" + id + "' does not exist"));
        }
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(OpenAiModel.DOCQA);
    }

    private Mono<ServerResponse> whole(long created, Flux<ChatEvent> events) {
        return events.reduce(new CollectedAnswer(), CollectedAnswer::add)
                .map(CollectedAnswer::answer)
                .flatMap(answer -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(new OpenAiCompletion.Whole(OpenAiChunks.id(answer.conversationId()), created, answer)));
    }

    /** Written without a flush per line: Reactor Netty flushes once no further line is at hand. */
    private Mono<ServerResponse> streamed(OpenAiChunks chunks, Flux<ChatEvent> events) {
        Flux<byte[]> lines = events.concatMapIterable(chunks::lines)
                .concatWith(Mono.fromSupplier(() -> bytes(chunks.line(DONE))))
                .onErrorResume(error -> Mono.fromSupplier(() -> bytes(chunks.line(errors.body(ChatErrors.toProblem(error))))));
        Flux<byte[]> body = KeepAlives.between(lines, keepAlive, KEEP_ALIVE);
        BodyInserter<Flux<byte[]>, ReactiveHttpOutputMessage> writer = (message, context) -> message.writeWith(
                body.map(bytes -> message.bufferFactory().wrap(bytes)));
        return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .body(writer);
    }

    private static byte[] bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8);
    }
}
