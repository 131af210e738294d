package io.docqa.chat;

import org.springframework.stereotype.Component;
import io.docqa.limits.SharedSemaphore;
import reactor.core.publisher.Mono;

/**
 * The cluster's share of the model ({@link ClusterCapProperties}), taken after this instance's own slot: a generation
 * starts only with both. Off, it costs nothing and never touches Redis.
 */
@Component
class ClusterGenerationCap {

    private static final String NAME = "generations";

    private final SharedSemaphore semaphore;
    private final ClusterCapProperties properties;

    ClusterGenerationCap(SharedSemaphore semaphore, ClusterCapProperties properties) {
        this.semaphore = semaphore;
        this.properties = properties;
    }

    /** Waits for a place; the returned action gives it back. Cancelling while waiting takes none. */
    Mono<Runnable> take() {
        if (!properties.enabled()) {
            return Mono.just(() -> { });
        }
        return semaphore.tryAcquire(NAME, properties.maxConcurrentGenerations(), properties.lease())
                .repeatWhenEmpty(attempts -> attempts.delayElements(properties.pollInterval()))
                .map(lease -> (Runnable) lease::release);
    }
}
