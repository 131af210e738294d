package io.docqa.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Gives every request its id and its {@link RequestFacts} before anything else runs, security included. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestFactsFilter implements WebFilter {

    private final ClientAddresses addresses;

    RequestFactsFilter(ClientAddresses addresses) {
        this.addresses = addresses;
        LogContext.register();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String id = RequestIds.choose(headers.getFirst(RequestIds.HEADER), headers.getFirst(RequestIds.TRACEPARENT));
        RequestIds.remember(exchange, id);
        exchange.getResponse().getHeaders().set(RequestIds.HEADER, id);
        RequestFacts facts = new RequestFacts(id, addresses.of(exchange.getRequest()));
        facts.attachTo(exchange);
        return chain.filter(exchange).contextWrite(facts::into);
    }
}
