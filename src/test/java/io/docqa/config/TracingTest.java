package io.docqa.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.ConfigurableEnvironment;
import io.docqa.support.IntegrationTest;
import io.micrometer.tracing.Tracer;
import io.docqa.support.ServiceInstance;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Traces leave the service over OTLP/HTTP only when an endpoint is configured: then a request is exported as a span of
 * the caller's trace (whose id is also the request id); without one nothing is exported and nothing warns.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingTest extends IntegrationTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @Autowired
    ConfigurableEnvironment shared;

    @Test
    void aRequestIsExportedAsASpanOfTheCallersTrace() {
        List<byte[]> posts = new CopyOnWriteArrayList<>();
        DisposableServer receiver = receiver(0, posts);
        try (ServiceInstance traced = ServiceInstance.startLike(shared, Map.of(
                "management.opentelemetry.tracing.export.otlp.endpoint", "http://127.0.0.1:" + receiver.port() + "/v1/traces",
                "management.tracing.sampling.probability", "1.0"))) {
            traced.http().get().uri("/actuator/health/liveness").header("traceparent", TRACEPARENT)
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("X-Request-Id", TRACE_ID);
            traced.bean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
            assertThat(traced.bean(Tracer.class)).as("tracer").isNotSameAs(Tracer.NOOP);

            byte[] traceId = HexFormat.of().parseHex(TRACE_ID);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(posts)
                    .as("OTLP posts holding a span of trace " + TRACE_ID)
                    .anyMatch(body -> contains(body, traceId) && contains(body, "docqa".getBytes())));
        }
        finally {
            receiver.disposeNow();
        }
    }

    @Test
    void withoutAnEndpointNothingIsExportedAndNothingWarns(CapturedOutput output) {
        List<byte[]> posts = new CopyOnWriteArrayList<>();
        // where an exporter without an endpoint would send to, if this port is free to listen on
        DisposableServer defaultReceiver = receiverOrNull(4318, posts);
        try (ServiceInstance untraced = ServiceInstance.startLike(shared, Map.of("management.tracing.sampling.probability", "1.0"))) {
            assertThat(untraced.beans(SpanExporter.class)).as("span exporters").isEmpty();
            // nor is a span started, nor made current around every signal, for nobody to read
            assertThat(untraced.bean(Tracer.class)).as("tracer").isSameAs(Tracer.NOOP);
            assertThat(untraced.bean(SdkTracerProvider.class).getSampler()).as("spans started by the SDK").isEqualTo(Sampler.alwaysOff());
            untraced.http().get().uri("/actuator/health/liveness").header("traceparent", TRACEPARENT)
                    .exchange().expectStatus().isOk();
            untraced.bean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);

            assertThat(posts).as("OTLP posts to the default endpoint").isEmpty();
            assertThat(output.getAll().lines()
                    .filter(line -> line.contains("\"WARN\"") || line.contains("\"ERROR\"") || line.contains(" WARN ")
                            || line.contains(" ERROR "))
                    .filter(line -> line.toLowerCase().contains("opentelemetry") || line.toLowerCase().contains("otlp")
                            || line.toLowerCase().contains("tracing") || line.toLowerCase().contains("exporter")))
                    .as("warnings about tracing or its export").isEmpty();
        }
        finally {
            if (defaultReceiver != null) {
                defaultReceiver.disposeNow();
            }
        }
    }

    /** An OTLP/HTTP receiver: answers every POST to {@code /v1/traces} with 200 and keeps its body. */
    private static DisposableServer receiver(int port, List<byte[]> posts) {
        return HttpServer.create().host("127.0.0.1").port(port)
                .route(routes -> routes.post("/v1/traces", (request, response) -> request.receive().aggregate().asByteArray()
                        .doOnNext(posts::add)
                        .then(response.header("content-type", "application/x-protobuf").send().then())))
                .bindNow(Duration.ofSeconds(10));
    }

    private static DisposableServer receiverOrNull(int port, List<byte[]> posts) {
        try {
            return receiver(port, posts);
        }
        catch (RuntimeException taken) {
            return null;
        }
    }

    private static boolean contains(byte[] body, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= body.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (body[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
