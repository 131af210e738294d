package io.docqa.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.Caller;
import io.docqa.web.ClientAddresses;
import io.netty.util.NetUtil;
import reactor.core.publisher.Mono;

/**
 * Rate limits as filters of a route, so that a request over its limit is refused before its body is read. An IPv6
 * client counts by its /64 network, which one host can fill with addresses of its own.
 */
@Component
public class RateLimits {

    private final RateLimiter limiter;
    private final ClientAddresses clients;

    RateLimits(RateLimiter limiter, ClientAddresses clients) {
        this.limiter = limiter;
        this.clients = clients;
    }

    /** Counts the request against the client address's bucket of {@code rule}. */
    public HandlerFilterFunction<ServerResponse, ServerResponse> perClient(Rule rule) {
        return (request, next) -> limiter.consume(rule, clientKey(clients.of(request))).then(next.handle(request));
    }

    /** Counts the request against the caller's (user or API key) bucket, then the caller's tenant's. */
    public HandlerFilterFunction<ServerResponse, ServerResponse> perCaller(Rule perCaller, Rule perTenant) {
        return (request, next) -> Caller.of(request)
                .flatMap(caller -> limiter.consume(perCaller, caller.actorId().toString())
                        .then(limiter.consume(perTenant, caller.tenantId().value().toString())))
                .then(Mono.defer(() -> next.handle(request)));
    }

    /** The address that counts for {@code address}: itself, or for IPv6 its /64 network. */
    public static String clientKey(String address) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null || bytes.length != 16) {
            return address;
        }
        Arrays.fill(bytes, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        }
        catch (UnknownHostException e) {
            return address;
        }
    }
}
