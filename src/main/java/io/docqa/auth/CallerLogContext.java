package io.docqa.auth;

import io.docqa.tenant.Caller;
import io.docqa.web.RequestFacts;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import reactor.core.publisher.Mono;

/** Once a bearer is accepted, the rest of the request logs whose it is: tenant, and user or API key. */
class CallerLogContext implements ServerAuthenticationSuccessHandler {

    @Override
    public Mono<Void> onAuthenticationSuccess(WebFilterExchange exchange, Authentication authentication) {
        Caller caller = (Caller) authentication.getPrincipal();
        RequestFacts facts = RequestFacts.of(exchange.getExchange());
        if (facts != null) {
            facts.identify(caller.tenantId().value(), caller.userId(), caller.apiKeyId());
        }
        return exchange.getChain().filter(exchange.getExchange());
    }
}
