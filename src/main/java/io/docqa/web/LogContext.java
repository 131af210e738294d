package io.docqa.web;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.slf4j.MDC;

/**
 * The request's facts every log line carries, in the MDC of whichever thread runs the request: Reactor's automatic
 * context propagation ({@code spring.reactor.context-propagation}) hands the request's {@link RequestFacts} to this
 * accessor around every signal, and the MDC is written only when its thread held another request's (or none): most
 * signals of a request find their thread's MDC already right.
 */
public final class LogContext implements ThreadLocalAccessor<RequestFacts> {

    public static final String REQUEST_ID = "request_id";
    public static final String TENANT_ID = "tenant_id";
    public static final String USER_ID = "user_id";
    public static final String API_KEY_ID = "api_key_id";

    /** Per thread: whose facts its MDC holds, and the caller they had then (a request learns its caller later). */
    private static final ThreadLocal<Applied> ON_THREAD = ThreadLocal.withInitial(Applied::new);

    static {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new LogContext());
    }

    private LogContext() {
    }

    /** Puts the request's facts in this thread's MDC until the scope closes (for code outside the request's pipeline). */
    public static Scope open(RequestFacts facts) {
        RequestFacts previous = ON_THREAD.get().facts;
        apply(facts);
        return () -> apply(previous);
    }

    /** Brings this thread's MDC up to date with facts that just learnt their caller, if it holds them. */
    static void refresh(RequestFacts facts) {
        if (ON_THREAD.get().facts == facts) {
            apply(facts);
        }
    }

    @Override
    public Object key() {
        return RequestFacts.KEY;
    }

    @Override
    public RequestFacts getValue() {
        return ON_THREAD.get().facts;
    }

    @Override
    public void setValue(RequestFacts facts) {
        apply(facts);
    }

    @Override
    public void setValue() {
        apply(null);
    }

    @Override
    public void reset() {
        apply(null);
    }

    private static void apply(RequestFacts facts) {
        Applied applied = ON_THREAD.get();
        RequestFacts.Caller caller = facts == null ? null : facts.caller();
        // the identity check on the MDC's own entry notices anyone who cleared it behind this class's back
        if (applied.facts == facts && applied.caller == caller
                && (facts == null || MDC.get(REQUEST_ID) == facts.requestId())) {
            return;
        }
        put(REQUEST_ID, facts == null ? null : facts.requestId());
        put(TENANT_ID, caller == null ? null : caller.tenantId());
        put(USER_ID, caller == null ? null : caller.userId());
        put(API_KEY_ID, caller == null ? null : caller.apiKeyId());
        applied.facts = facts;
        applied.caller = caller;
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** Loads the class, and so registers the accessor, before the first request. */
    static void register() {
    }

    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Applied {
        RequestFacts facts;
        RequestFacts.Caller caller;
    }
}
