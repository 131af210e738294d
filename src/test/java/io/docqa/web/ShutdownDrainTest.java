package io.docqa.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Not ready first, streams served on through the drain period, then ended with {@code shutting_down}. */
class ShutdownDrainTest {

    private final List<Object> published = new CopyOnWriteArrayList<>();
    private final ShutdownDrain drain = new ShutdownDrain(new ShutdownProperties(Duration.ofSeconds(1)), published::add);

    @Test
    void streamsRunOnThroughTheDrainAndThenEndWithShuttingDown() {
        drain.start();
        AtomicBoolean stopped = new AtomicBoolean();
        Flux<Long> endless = drain.endedAtShutdown(Flux.interval(Duration.ofMillis(20)));
        StepVerifier.create(endless)
                .expectNextCount(3)
                .then(() -> drain.stop(() -> stopped.set(true)))
                .then(() -> assertThat(published).singleElement()
                        .satisfies(event -> assertThat(((AvailabilityChangeEvent<?>) event).getState())
                                .isEqualTo(ReadinessState.REFUSING_TRAFFIC)))
                .expectNextCount(5) // still served while the balancer learns that the instance is not ready
                .thenConsumeWhile(tick -> true)
                .expectErrorSatisfies(error -> {
                    ApiException problem = (ApiException) error;
                    assertThat(problem.code()).isEqualTo("shutting_down");
                    assertThat(problem.status().value()).isEqualTo(503);
                    assertThat(problem.retryAfter()).isPositive();
                })
                .verify(Duration.ofSeconds(10));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(stopped);
        assertThat(drain.isRunning()).isFalse();

        StepVerifier.create(drain.endedAtShutdown(Flux.never()))
                .as("a stream that starts after the drain ends at once")
                .expectError(ApiException.class)
                .verify(Duration.ofSeconds(1));
    }

    @Test
    void aStreamThatEndsBeforeTheShutdownEndsAsItIs() {
        drain.start();
        StepVerifier.create(drain.endedAtShutdown(Flux.just(1, 2, 3))).expectNext(1, 2, 3).verifyComplete();
        drain.stop();
        StepVerifier.create(drain.endedAtShutdown(Flux.never())).expectError(ApiException.class).verify(Duration.ofSeconds(1));
    }

    @Test
    void aContextThatIsPausedOrStartedAgainKeepsItsStreams() {
        assertThat(drain.isPauseable()).as("Spring's test context cache pauses the contexts it does not use").isFalse();
        drain.start();
        drain.stop();
        drain.start();
        StepVerifier.create(drain.endedAtShutdown(Flux.just(1, 2))).expectNext(1, 2).verifyComplete();
    }
}
