package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * A model that cannot be loaded (ONNX Runtime's native library not unpacked: a {@link LinkageError}, which Reactor
 * would never deliver) fails every call at once, is reported unavailable, and is loaded again after the back-off.
 */
class EmbedderLoadFailureTest {

    @Test
    void aNativeLibraryThatCannotBeUnpackedFailsCallsAtOnceInsteadOfHangingThem() {
        AtomicInteger loads = new AtomicInteger();
        try (Embedder embedder = new Embedder(1, 8, () -> {
            loads.incrementAndGet();
            throw new ExceptionInInitializerError(new java.io.IOException("No space left on device"));
        }, Duration.ofHours(1))) {
            embedder.embed("a question")
                    .as(StepVerifier::create)
                    .expectError(EmbedderUnavailableException.class)
                    .verify(Duration.ofSeconds(5));
            embedder.embedAll(List.of("a chunk", "another"))
                    .as(StepVerifier::create)
                    .expectError(EmbedderUnavailableException.class)
                    .verify(Duration.ofSeconds(5));
            embedder.isAvailable().as(StepVerifier::create).expectNext(false).verifyComplete();
            assertThat(loads).as("a failed load stands until the back-off ends").hasValue(1);
        }
    }

    @Test
    void theLoadIsTriedAgainAfterTheBackOff() {
        AtomicInteger loads = new AtomicInteger();
        try (Embedder embedder = new Embedder(1, 8, () -> {
            if (loads.incrementAndGet() == 1) {
                throw new java.io.IOException("No space left on device");
            }
            return MiniLmModel.load(256);
        }, Duration.ofMillis(200))) {
            embedder.isAvailable().as(StepVerifier::create).expectNext(false).verifyComplete();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Boolean.TRUE.equals(embedder.isAvailable().block()));
            embedder.embed("a question")
                    .as(StepVerifier::create)
                    .assertNext(vector -> assertThat(vector).hasSize(384))
                    .verifyComplete();
            assertThat(loads).hasValue(2);
        }
    }
}
