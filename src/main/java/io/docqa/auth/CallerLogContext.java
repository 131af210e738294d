package io.docqa.auth;

import io.docqa.tenant.Caller;
import io.docqa.web.LogContext;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import reactor.core.publisher.Mono;

/** Once a bearer is accepted, the rest of the request logs whose it is: tenant, and user or API key. */
class CallerLogContext implements ServerAuthenticationSuccessHandler {

    @Override
    public Mono<Void> onAuthenticationSuccess(WebFilterExchange exchange, Authentication authentication) {
        Caller caller = (Caller) authentication.getPrincipal();
        return exchange.getChain().filter(exchange.getExchange())
                .contextWrite(LogContext.with(LogContext.API_KEY_ID, caller.apiKeyId()))
                .contextWrite(LogContext.with(LogContext.USER_ID, caller.userId()))
                .contextWrite(LogContext.with(LogContext.TENANT_ID, caller.tenantId().value()));
    }
}
