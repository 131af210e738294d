package io.docqa.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.Caller;
import io.docqa.web.ProblemWriter;
import io.docqa.web.RequestBodies;
import io.docqa.web.ShutdownDrain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Component
class ChatHandler {

    private final Answering answering;
    private final ChatLimits limits;
    private final RequestBodies bodies;
    private final Duration keepAlive;
    private final ShutdownDrain shutdown;

    ChatHandler(Answering answering, ChatLimits limits, RequestBodies bodies, ChatProperties properties, ShutdownDrain shutdown) {
        this.answering = answering;
        this.limits = limits;
        this.bodies = bodies;
        this.keepAlive = properties.keepAliveInterval();
        this.shutdown = shutdown;
    }

    Mono<ServerResponse> chat(ServerRequest request) {
        boolean json = wantsJson(request);
        return Caller.of(request)
                .zipWith(bodies.read(request, ChatRequest.class).map(limits::check))
                .flatMap(both -> answering.answer(both.getT1(), both.getT2()))
                .map(shutdown::endedAtShutdown)
                .flatMap(events -> json ? asJson(events) : asEventStream(request, events))
                // WebFlux holds this subscription until the answer has streamed to its end: without the detach, every
                // stream kept its request body and its admission (settings, quota and slot queries) alive
                .onTerminateDetach();
    }

    private Mono<ServerResponse> asJson(Flux<ChatEvent> events) {
        return events.reduce(new CollectedAnswer(), CollectedAnswer::add)
                .flatMap(collected -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(collected.answer()));
    }

    private Mono<ServerResponse> asEventStream(ServerRequest request, Flux<ChatEvent> events) {
        AtomicLong ids = new AtomicLong();
        Flux<ServerSentEvent<Object>> stream = events
                .map(event -> ServerSentEvent.<Object>builder(data(event)).id(Long.toString(ids.incrementAndGet()))
                        .event(name(event)).build())
                .onErrorResume(error -> Mono.just(ProblemWriter.event(ChatErrors.toProblem(error), request.exchange(),
                        Long.toString(ids.incrementAndGet()))))
                .concatWith(Mono.just(END));
        Flux<ServerSentEvent<Object>> keepAlives = Flux.interval(keepAlive)
                .map(tick -> ServerSentEvent.<Object>builder().comment("keep-alive").build());
        Flux<ServerSentEvent<Object>> body = Flux.merge(stream, keepAlives)
                .takeUntil(event -> event == END)
                .filter(event -> event != END);
        return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(body, ServerSentEvent.class);
    }

    private static final ServerSentEvent<Object> END = ServerSentEvent.<Object>builder().comment("end").build();

    private static String name(ChatEvent event) {
        if (event instanceof ChatEvent.Started) {
            return "conversation";
        }
        if (event instanceof ChatEvent.Sources) {
            return "sources";
        }
        return event instanceof ChatEvent.Token ? "token" : "done";
    }

    private static Object data(ChatEvent event) {
        return event instanceof ChatEvent.Started started ? new ConversationData(started.conversationId()) : event;
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

    record ConversationData(java.util.UUID conversationId) {
    }
}
