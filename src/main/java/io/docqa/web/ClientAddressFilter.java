package io.docqa.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/** Puts the client's address ({@link ClientAddresses}) in the Reactor context of every request, for the audit trail. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class ClientAddressFilter implements WebFilter {

    private static final String KEY = ClientAddressFilter.class.getName();

    private final ClientAddresses addresses;

    ClientAddressFilter(ClientAddresses addresses) {
        this.addresses = addresses;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String address = addresses.of(exchange.getRequest());
        return chain.filter(exchange).contextWrite(context -> context.put(KEY, address));
    }

    /** The address of the request whose pipeline has {@code context}, or null outside a request. */
    public static String of(ContextView context) {
        return context.getOrDefault(KEY, null);
    }
}
