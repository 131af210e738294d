package io.docqa.web;

import org.springframework.web.server.ServerWebExchange;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * What is known of a request while it is handled: its id, the client's address and, once authenticated, whose it is.
 * One object per request, made before anything else runs; it travels in the Reactor context under one key (every key
 * there costs Reactor's propagation a step on every signal) and as an attribute of the exchange. Its log fields reach
 * the MDC through {@link LogContext}.
 */
public final class RequestFacts {

    static final String KEY = RequestFacts.class.getName();

    private final String requestId;
    private final String clientAddress;
    private volatile Caller caller;

    RequestFacts(String requestId, String clientAddress) {
        this.requestId = requestId;
        this.clientAddress = clientAddress;
    }

    /** The facts of the request whose pipeline has {@code context}, or null outside a request. */
    public static RequestFacts in(ContextView context) {
        return context.getOrDefault(KEY, null);
    }

    /** The facts of the exchange, or null for one the request filter has not seen. */
    public static RequestFacts of(ServerWebExchange exchange) {
        return exchange.getAttribute(KEY);
    }

    void attachTo(ServerWebExchange exchange) {
        exchange.getAttributes().put(KEY, this);
    }

    Context into(Context context) {
        return context.put(KEY, this);
    }

    /**
     * Only the facts of the request whose pipeline has {@code context}, for work that outlives the request: the rest of
     * its context (the response's hooks, among others) must not reach that work.
     */
    public static Context carriedFrom(ContextView context) {
        RequestFacts facts = in(context);
        return facts == null ? Context.empty() : Context.of(KEY, facts);
    }

    public String requestId() {
        return requestId;
    }

    /** The client's address ({@link ClientAddresses}), or null when unknown. */
    public String clientAddress() {
        return clientAddress;
    }

    /** The authenticated caller: from now on every log line of the request names it; null values name nothing. */
    public void identify(Object tenantId, Object userId, Object apiKeyId) {
        caller = new Caller(text(tenantId), text(userId), text(apiKeyId));
        LogContext.refresh(this);
    }

    Caller caller() {
        return caller;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    record Caller(String tenantId, String userId, String apiKeyId) {
    }
}
