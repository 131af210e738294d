package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class ByteStreamMeterTest {

    private final TrackedBuffers buffers = new TrackedBuffers();

    @Test
    void countsAndHashesEveryByteThatPasses() throws Exception {
        byte[] bytes = "the quick brown fox jumps over the lazy dog".repeat(100).getBytes(StandardCharsets.UTF_8);
        ByteStreamMeter meter = new ByteStreamMeter(bytes.length);
        meter.meter(Flux.fromIterable(buffers.split(bytes, 1, 100, 2000, 3000)))
                .doOnNext(org.springframework.core.io.buffer.DataBufferUtils::release)
                .as(StepVerifier::create)
                .expectNextCount(5)
                .verifyComplete();
        assertThat(meter.bytesRead()).isEqualTo(bytes.length);
        assertThat(meter.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
                .hasSize(64);
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void theHashIsOnlyThereOnceTheStreamIsComplete() {
        ByteStreamMeter meter = new ByteStreamMeter(100);
        assertThatThrownBy(meter::sha256).isInstanceOf(IllegalStateException.class);
        meter.meter(Flux.empty()).as(StepVerifier::create).verifyComplete();
        assertThat(meter.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        meter.meter(Flux.empty()).as(StepVerifier::create).verifyError(IllegalStateException.class);
    }

    @Test
    void crossingTheLimitFailsAtOnceWithoutReadingTheRest() {
        AtomicInteger produced = new AtomicInteger();
        Flux<DataBuffer> endless = Flux.generate(sink -> {
            produced.incrementAndGet();
            sink.next(buffers.of(new byte[1024]));
        });
        ByteStreamMeter meter = new ByteStreamMeter(10 * 1024);
        meter.meter(endless)
                .doOnNext(org.springframework.core.io.buffer.DataBufferUtils::release)
                .as(StepVerifier::create)
                .expectNextCount(10)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(TooLargeException.class)
                        .extracting(e -> ((TooLargeException) e).limit()).isEqualTo(10L * 1024))
                .verify();
        assertThat(produced).hasValue(11);
        assertThat(meter.bytesRead()).isEqualTo(11 * 1024);
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void theLimitCountsBytesNotBuffers() {
        ByteStreamMeter.limit(Flux.fromIterable(buffers.split(new byte[10], 5)), 10)
                .doOnNext(org.springframework.core.io.buffer.DataBufferUtils::release)
                .as(StepVerifier::create).expectNextCount(2).verifyComplete();
        ByteStreamMeter.limit(Flux.fromIterable(buffers.split(new byte[11], 5, 6, 7)), 10)
                .doOnNext(org.springframework.core.io.buffer.DataBufferUtils::release)
                .as(StepVerifier::create).expectNextCount(3).verifyError(TooLargeException.class);
        assertThat(buffers.unreleased()).isZero();
    }
}
