package io.docqa.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class ClientAddressesTest {

    private static String client(List<String> trusted, String peer, String... forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/")
                .remoteAddress(new InetSocketAddress(peer, 40000));
        for (String header : forwardedFor) {
            request.header("X-Forwarded-For", header);
        }
        return new ClientAddresses(new ClientAddressProperties(trusted)).of(request.build());
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
        assertThat(client(List.of(), "192.0.2.10", "198.51.100.1")).isEqualTo("192.0.2.10");
    }

    @Test
    void aTrustedProxysHeaderNamesTheClient() {
        assertThat(client(List.of("10.0.0.0/8"), "10.1.2.3", "198.51.100.1")).isEqualTo("198.51.100.1");
    }

    @Test
    void anUntrustedPeersHeaderIsIgnored() {
        assertThat(client(List.of("10.0.0.0/8"), "192.0.2.10", "198.51.100.1")).isEqualTo("192.0.2.10");
    }

    @Test
    void whatTheClientPrependsDoesNotCount() {
        // the client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the address it saw
        assertThat(client(List.of("10.0.0.1"), "10.0.0.1", "1.1.1.1, 198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(client(List.of("10.0.0.1"), "10.0.0.1", "1.1.1.1", "198.51.100.1")).isEqualTo("198.51.100.1");
    }

    @Test
    void aChainOfTrustedProxiesIsWalkedFromTheRight() {
        assertThat(client(List.of("10.0.0.0/8", "172.16.0.5"), "10.0.0.1", "198.51.100.1, 172.16.0.5, 10.9.9.9"))
                .isEqualTo("198.51.100.1");
    }

    @Test
    void aHopThatIsNoAddressStopsTheWalk() {
        assertThat(client(List.of("10.0.0.1"), "10.0.0.1", "example.org")).isEqualTo("10.0.0.1");
        assertThat(client(List.of("10.0.0.1"), "10.0.0.1", "999.1.1.1")).isEqualTo("10.0.0.1");
        assertThat(client(List.of("10.0.0.1"), "10.0.0.1", "unknown, ")).isEqualTo("10.0.0.1");
    }

    @Test
    void ipv6ProxiesAndClients() {
        assertThat(client(List.of("::1", "fd00::/8"), "::1", "2001:db8::7, fd00::2")).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void aTrustedProxyThatIsNoAddressIsRefusedAtStart() {
        assertThatThrownBy(() -> new ClientAddresses(new ClientAddressProperties(List.of("proxy.internal"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientAddresses(new ClientAddressProperties(List.of("10.0.0.0/33"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
