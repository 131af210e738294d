package io.docqa.web;

import java.util.function.Function;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;
import reactor.util.context.Context;

/**
 * The request's facts every log line carries. They travel in the Reactor context and reach the MDC of whichever thread
 * runs the request next, through Reactor's automatic context propagation ({@code spring.reactor.context-propagation}).
 */
public final class LogContext {

    public static final String REQUEST_ID = "request_id";
    public static final String TENANT_ID = "tenant_id";
    public static final String USER_ID = "user_id";
    public static final String API_KEY_ID = "api_key_id";

    static {
        for (String key : new String[] {REQUEST_ID, TENANT_ID, USER_ID, API_KEY_ID}) {
            ContextRegistry.getInstance().registerThreadLocalAccessor(key,
                    () -> MDC.get(key), value -> MDC.put(key, value), () -> MDC.remove(key));
        }
    }

    private LogContext() {
    }

    /** Adds a fact to the context of a request's pipeline; a null value adds nothing. */
    public static Function<Context, Context> with(String key, Object value) {
        return context -> value == null ? context : context.put(key, value.toString());
    }
}
