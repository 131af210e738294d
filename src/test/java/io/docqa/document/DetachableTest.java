package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class DetachableTest {

    @Test
    void aCancelBeforeTheWorkDetachesStopsIt() {
        Sinks.Many<Integer> source = Sinks.many().unicast().onBackpressureBuffer();
        AtomicBoolean cancelled = new AtomicBoolean();
        Detachable.run(detach -> source.asFlux().doOnCancel(() -> cancelled.set(true)))
                .as(StepVerifier::create)
                .then(() -> source.tryEmitNext(1))
                .expectNext(1)
                .thenCancel()
                .verify();
        assertThat(cancelled).isTrue();
    }

    @Test
    void onceDetachedTheWorkOutlivesItsSubscriber() {
        Sinks.Many<Integer> source = Sinks.many().unicast().onBackpressureBuffer();
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean completed = new AtomicBoolean();
        Detachable.run(detach -> source.asFlux().doOnNext(n -> {
                    if (n == 2) {
                        detach.run();
                    }
                }).doOnCancel(() -> cancelled.set(true)).doOnComplete(() -> completed.set(true)))
                .as(StepVerifier::create)
                .then(() -> source.tryEmitNext(1).orThrow())
                .expectNext(1)
                .then(() -> source.tryEmitNext(2).orThrow())
                .expectNext(2)
                .thenCancel()
                .verify();
        source.tryEmitNext(3).orThrow();
        source.tryEmitComplete().orThrow();
        assertThat(cancelled).isFalse();
        assertThat(completed).isTrue();
    }
}
