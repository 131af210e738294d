package io.docqa.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.Caller;
import io.docqa.web.ProblemWriter;
import io.docqa.web.RequestBodies;
import io.docqa.web.ShutdownDrain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

@Component
class ChatHandler {

    private static final MediaType EVENT_STREAM = new MediaType(MediaType.TEXT_EVENT_STREAM, StandardCharsets.UTF_8);

    private final Answering answering;
    private final ChatLimits limits;
    private final RequestBodies bodies;
    private final Duration keepAlive;
    private final ShutdownDrain shutdown;
    private final JsonMapper json;

    ChatHandler(Answering answering, ChatLimits limits, RequestBodies bodies, ChatProperties properties, ShutdownDrain shutdown,
            JsonMapper json) {
        this.json = json;
        this.answering = answering;
        this.limits = limits;
        this.bodies = bodies;
        this.keepAlive = properties.keepAliveInterval();
        this.shutdown = shutdown;
    }

    Mono<ServerResponse> chat(ServerRequest request) {
        boolean whole = wantsJson(request);
        return Caller.of(request)
                .zipWith(bodies.read(request, ChatRequest.class).map(limits::check))
                .flatMap(both -> answering.answer(both.getT1(), both.getT2()))
                .map(shutdown::endedAtShutdown)
                .flatMap(events -> whole ? asJson(events) : asEventStream(request, events))
                // WebFlux holds this subscription until the answer has streamed to its end: without the detach, every
                // stream kept its request body and its admission (settings, quota and slot queries) alive
                .onTerminateDetach();
    }

    private Mono<ServerResponse> asJson(Flux<ChatEvent> events) {
        return events.reduce(new CollectedAnswer(), CollectedAnswer::add)
                .flatMap(collected -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(collected.answer()));
    }

    /**
     * The events as {@code text/event-stream}, written without a flush of their own: Reactor Netty flushes what was
     * written once no further event is at hand, so a token still leaves as it arrives.
     */
    private Mono<ServerResponse> asEventStream(ServerRequest request, Flux<ChatEvent> events) {
        Flux<byte[]> stream = Flux.defer(() -> {
            EventStreamEncoder encoder = new EventStreamEncoder(json);
            return events.map(encoder::encode)
                    .onErrorResume(error -> Mono.fromSupplier(() -> encoder.encode(
                            ProblemWriter.event(ChatErrors.toProblem(error), request.exchange(), encoder.nextId()))));
        });
        Flux<byte[]> body = KeepAlives.between(stream, keepAlive, EventStreamEncoder.KEEP_ALIVE);
        BodyInserter<Flux<byte[]>, ReactiveHttpOutputMessage> writer = (message, context) -> message.writeWith(
                body.map(bytes -> message.bufferFactory().wrap(bytes)));
        return ServerResponse.ok().contentType(EVENT_STREAM).body(writer);
    }

    /**
     * JSON only for a client that names {@code application/json} itself and does not rank the event stream higher:
     * no {@code Accept}, {@code *}{@code /*} (curl's) or any wildcard streams.
     */
    private static boolean wantsJson(ServerRequest request) {
        List<MediaType> accept = request.headers().accept();
        double json = quality(accept, MediaType.APPLICATION_JSON);
        return json > 0 && json >= quality(accept, MediaType.TEXT_EVENT_STREAM);
    }

    private static double quality(List<MediaType> accept, MediaType named) {
        return accept.stream().filter(named::equalsTypeAndSubtype).mapToDouble(MediaType::getQualityValue).max().orElse(0);
    }
}
