package io.docqa.web;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an {@link ApiException} as an RFC 9457 problem, or in the {@link ErrorShape} of a protocol that covers the
 * path. The only place an error body is made.
 */
@Component
public class ProblemWriter {

    private final JsonMapper json;
    private final List<ErrorShape> shapes;

    ProblemWriter(JsonMapper json, ObjectProvider<ErrorShape> shapes) {
        this.json = json;
        this.shapes = shapes.orderedStream().toList();
    }

    private static Map<String, Object> body(ApiException problem, ServerWebExchange exchange) {
        return body(problem, exchange.getRequest().getPath().value(), RequestIds.of(exchange));
    }

    static Map<String, Object> body(ApiException problem, String instance, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type(problem.code()).toString());
        body.put("title", problem.status().getReasonPhrase());
        body.put("status", problem.status().value());
        body.put("detail", problem.getMessage());
        body.put("instance", instance);
        body.put("code", problem.code());
        body.put("request_id", requestId);
        if (!problem.errors().isEmpty()) {
            body.put("errors", problem.errors());
        }
        if (problem.retryAfter() != null) {
            body.put("retry_after", retryAfterSeconds(problem));
        }
        problem.properties().forEach(body::putIfAbsent);
        return body;
    }

    /**
     * The problem as the last event of a stream ({@code event: error}); a retry hint goes both in the body
     * ({@code retry_after}, seconds) and in the event's {@code retry:} field (milliseconds, for EventSource).
     */
    public static ServerSentEvent<Object> event(ApiException problem, ServerWebExchange exchange, String id) {
        ServerSentEvent.Builder<Object> event = ServerSentEvent.<Object>builder(body(problem, exchange)).id(id).event("error");
        if (problem.retryAfter() != null) {
            event.retry(Duration.ofSeconds(retryAfterSeconds(problem)));
        }
        return event.build();
    }

    private static long retryAfterSeconds(ApiException problem) {
        return Math.max(1, problem.retryAfter().toSeconds());
    }

    public static URI type(String code) {
        return URI.create("urn:docqa:problem:" + code);
    }

    /**
     * The error body for a request to {@code path} (null when it is not known): a problem, or the shape of the protocol
     * that covers the path. Also for a response that is not written through an exchange.
     */
    Rendered render(ApiException problem, String path, String requestId) {
        ErrorShape shape = path == null ? null : shapes.stream().filter(candidate -> candidate.covers(path)).findFirst().orElse(null);
        return shape == null
                ? new Rendered(MediaType.APPLICATION_PROBLEM_JSON, json.writeValueAsBytes(body(problem, path, requestId)))
                : new Rendered(MediaType.APPLICATION_JSON, json.writeValueAsBytes(shape.body(problem)));
    }

    public Mono<Void> write(ServerWebExchange exchange, ApiException problem) {
        var response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(problem);
        }
        response.setStatusCode(problem.status());
        HttpHeaders headers = response.getHeaders();
        if (problem.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(problem)));
        }
        Rendered rendered = render(problem, exchange.getRequest().getPath().value(), RequestIds.of(exchange));
        headers.setContentType(rendered.contentType());
        DataBuffer buffer = response.bufferFactory().wrap(rendered.bytes());
        return response.writeWith(Mono.just(buffer));
    }

    record Rendered(MediaType contentType, byte[] bytes) {
    }
}
