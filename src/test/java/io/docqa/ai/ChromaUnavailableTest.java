package io.docqa.ai;

import static io.docqa.ai.TenantVectorIndexTest.basis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;
import io.docqa.support.ChromaServer;
import io.docqa.tenant.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Chroma away, hanging or failing ends in VectorStoreUnavailableException within the configured timeout. */
class ChromaUnavailableTest {

    private static final Embedder embedder = new Embedder();

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void refusedConnectionsAreUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (TenantVectorIndex index = index("http://127.0.0.1:" + closedPort, Duration.ofSeconds(5))) {
            index.add(TenantId.random(), List.of(chunk()))
                    .as(StepVerifier::create)
                    .expectError(VectorStoreUnavailableException.class)
                    .verify(Duration.ofSeconds(5));
            index.isAvailable().as(StepVerifier::create).expectNext(false).verifyComplete();
        }
    }

    @Test
    void aChromaThatNeverAnswersIsUnavailableAfterTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                TenantVectorIndex index = index("http://127.0.0.1:" + silent.getLocalPort(), Duration.ofSeconds(1))) {
            long started = System.nanoTime();
            index.search(TenantId.random(), basis(0), 4, 0.0, Set.of())
                    .as(StepVerifier::create)
                    .expectError(VectorStoreUnavailableException.class)
                    .verify(Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            index.isAvailable().as(StepVerifier::create).expectNext(false).verifyComplete();
        }
    }

    @Test
    void serverErrorsAreUnavailableAndClientErrorsAreNot() throws IOException {
        HttpServer failing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        failing.createContext("/", exchange -> {
            int status = exchange.getRequestURI().getPath().contains("docqa-") ? 500 : 400;
            byte[] body = "{\"error\":\"InternalError\"}".getBytes();
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        failing.start();
        try (TenantVectorIndex index = index("http://127.0.0.1:" + failing.getAddress().getPort(), Duration.ofSeconds(5))) {
            index.count(TenantId.random())
                    .as(StepVerifier::create)
                    .expectError(VectorStoreUnavailableException.class)
                    .verify(Duration.ofSeconds(5));
            index.dropTenant(TenantId.random())
                    .as(StepVerifier::create)
                    .expectError(VectorStoreUnavailableException.class)
                    .verify(Duration.ofSeconds(5));
        } finally {
            failing.stop(0);
        }
    }

    @Test
    void chromaStoppedAndStartedAgain() {
        ChromaServer chroma = ChromaServer.get();
        assumeTrue(chroma.restartable(), "Chroma was given by URL");
        TenantId tenant = TenantId.random();
        UUID doc = UUID.randomUUID();
        try (TenantVectorIndex index = index(chroma.url(), Duration.ofSeconds(5))) {
            index.add(tenant, List.of(new VectorChunk(doc, 0, null, "before", basis(0)))).as(StepVerifier::create).verifyComplete();

            chroma.stop();
            try {
                index.add(tenant, List.of(new VectorChunk(doc, 1, null, "while away", basis(1))))
                        .as(StepVerifier::create)
                        .expectError(VectorStoreUnavailableException.class)
                        .verify(Duration.ofSeconds(6));
                index.search(tenant, basis(0), 4, 0.0, Set.of())
                        .as(StepVerifier::create)
                        .expectError(VectorStoreUnavailableException.class)
                        .verify(Duration.ofSeconds(6));
                index.isAvailable().as(StepVerifier::create).expectNext(false).verifyComplete();
            } finally {
                chroma.start();
            }

            index.isAvailable().as(StepVerifier::create).expectNext(true).verifyComplete();
            index.add(tenant, List.of(new VectorChunk(doc, 1, null, "after", basis(1))))
                    .then(index.count(tenant, doc))
                    .as(StepVerifier::create)
                    .expectNext(2L)
                    .verifyComplete();
        }
    }

    private static TenantVectorIndex index(String url, Duration timeout) {
        return new TenantVectorIndex(new ChromaProperties(URI.create(url), timeout, 2, ChromaIsolation.COLLECTION), embedder);
    }

    private static VectorChunk chunk() {
        return new VectorChunk(UUID.randomUUID(), 0, null, "text", basis(0));
    }
}
