package io.docqa.web;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes an {@link ApiException} as an RFC 9457 problem. The only place a problem body is made. */
@Component
public class ProblemWriter {

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
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

    /** The problem as JSON bytes, for a response that is not written through an exchange. */
    byte[] bytes(ApiException problem, String instance, String requestId) {
        return json.writeValueAsBytes(body(problem, instance, requestId));
    }

    public Mono<Void> write(ServerWebExchange exchange, ApiException problem) {
        var response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(problem);
        }
        response.setStatusCode(problem.status());
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (problem.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(problem)));
        }
        DataBuffer buffer = response.bufferFactory().wrap(json.writeValueAsBytes(body(problem, exchange)));
        return response.writeWith(Mono.just(buffer));
    }
}
