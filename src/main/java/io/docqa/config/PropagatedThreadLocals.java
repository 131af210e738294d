package io.docqa.config;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.springframework.context.annotation.Configuration;

/**
 * Reactor's automatic context propagation sets and resets, around every signal of every request, each ThreadLocal
 * whose accessor's key is in the Reactor context. Spring Security registers three (the reactive and the blocking
 * security context, the exchange) for code that reads them from ThreadLocals; none here does (the security context is
 * read from the Reactor context), so they are dropped before the first request.
 */
@Configuration(proxyBeanMethods = false)
class PropagatedThreadLocals {

    PropagatedThreadLocals() {
        ContextRegistry registry = ContextRegistry.getInstance();
        registry.getThreadLocalAccessors().stream()
                .filter(accessor -> accessor.getClass().getName().startsWith("org.springframework.security."))
                .map(ThreadLocalAccessor::key)
                .toList()
                .forEach(registry::removeThreadLocalAccessor);
    }
}
