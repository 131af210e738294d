package io.docqa.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import io.netty.util.NetUtil;

/**
 * The address of the client that made a request. {@code X-Forwarded-For} counts only when the connection comes from a
 * trusted proxy, and then only up to the first hop, read from the right, that is not itself a trusted proxy: a client
 * can prepend whatever it likes to the header, but not past the proxies in front of the service.
 */
@Component
public class ClientAddresses {

    private final List<Network> trusted;

    ClientAddresses(ClientAddressProperties properties) {
        this.trusted = properties.trustedProxies().stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(Network::parse).toList();
    }

    public String of(ServerRequest request) {
        return of(request.exchange().getRequest());
    }

    public String of(ServerHttpRequest request) {
        InetSocketAddress peer = request.getRemoteAddress();
        InetAddress address = peer == null ? null : peer.getAddress();
        if (address == null) {
            return "unknown";
        }
        List<String> hops = forwardedFor(request);
        for (int i = hops.size() - 1; i >= 0 && isTrusted(address); i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                break;
            }
            address = hop;
        }
        return address.getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        byte[] bytes = address.getAddress();
        return trusted.stream().anyMatch(network -> network.contains(bytes));
    }

    private static List<String> forwardedFor(ServerHttpRequest request) {
        List<String> hops = new ArrayList<>();
        for (String header : request.getHeaders().getOrEmpty("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        return hops;
    }

    /** The address written in {@code text}, or null; never a name lookup. */
    static InetAddress literal(String text) {
        return NetUtil.createInetAddressFromIpAddressString(text);
    }

    /** An address, or a CIDR range such as {@code 10.0.0.0/8} or {@code fd00::/8}. */
    private record Network(byte[] prefix, int bits) {

        static Network parse(String text) {
            int slash = text.indexOf('/');
            byte[] prefix = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? text : text.substring(0, slash));
            if (prefix == null) {
                throw new IllegalArgumentException("docqa.client-address.trusted-proxies: not an address or range: " + text);
            }
            int bits = slash < 0 ? prefix.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (bits < 0 || bits > prefix.length * 8) {
                throw new IllegalArgumentException("docqa.client-address.trusted-proxies: bad prefix length in " + text);
            }
            return new Network(prefix, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
