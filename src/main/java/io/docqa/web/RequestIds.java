package io.docqa.web;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.web.server.ServerWebExchange;

/**
 * The id of a request: the caller's {@code X-Request-Id} when it is short and plain, else the trace id of a W3C
 * {@code traceparent}, else a fresh one. Returned as {@code X-Request-Id}, in every problem and on every log line.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    static final String TRACEPARENT = "traceparent";
    private static final String ATTRIBUTE = RequestIds.class.getName();

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern TRACE = Pattern.compile("(?!ff)[0-9a-f]{2}-(?!0{32})([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");

    private RequestIds() {
    }

    static String choose(String given, String traceparent) {
        if (given != null && SAFE.matcher(given).matches()) {
            return given;
        }
        Matcher trace = traceparent == null ? null : TRACE.matcher(traceparent.trim());
        if (trace != null && trace.matches()) {
            return trace.group(1);
        }
        return UUID.randomUUID().toString();
    }

    static void remember(ServerWebExchange exchange, String id) {
        exchange.getAttributes().put(ATTRIBUTE, id);
    }

    /** The id of the exchange, or null for one the request-id filter has not seen. */
    public static String of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }
}
