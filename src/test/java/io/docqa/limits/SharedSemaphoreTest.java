package io.docqa.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.docqa.support.TestRedis;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Permits shared through the real Redis of the tests; each semaphore on its own connection stands for an instance. */
class SharedSemaphoreTest {

    private final String prefix = TestRedis.keyPrefix() + "sem-" + UUID.randomUUID() + ":";
    private final List<RedisStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(RedisStore::destroy);
    }

    private SharedSemaphore instance() {
        RedisStore store = new RedisStore(new RedisProperties(URI.create(TestRedis.url()), Duration.ofSeconds(10), prefix));
        stores.add(store);
        return new SharedSemaphore(store);
    }

    @Test
    void atMostThePermitsAcrossInstancesAndAReleasedOneGoesToTheNext() {
        SharedSemaphore one = instance();
        SharedSemaphore two = instance();
        Duration lease = Duration.ofSeconds(30);

        List<SharedSemaphore.Lease> granted = Flux.range(0, 10)
                .flatMap(i -> (i % 2 == 0 ? one : two).tryAcquire("generations", 3, lease))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(granted).hasSize(3);
        two.tryAcquire("generations", 3, lease).as(StepVerifier::create).verifyComplete();

        granted.get(0).release();
        granted.get(0).release();

        await().atMost(Duration.ofSeconds(30)).until(() -> one.tryAcquire("generations", 3, lease).block(Duration.ofSeconds(15)) != null);
        two.tryAcquire("generations", 3, lease).as(StepVerifier::create).verifyComplete();
    }

    @Test
    void aLeaseIsRenewedWhileHeldAndRunsOutWhenItsInstanceIsGone() {
        SharedSemaphore survivor = instance();
        SharedSemaphore doomed = instance();
        Duration lease = Duration.ofSeconds(3); // renewed every second: late renewals on a loaded machine still come in time
        SharedSemaphore.Lease held = survivor.tryAcquire("renewed", 1, lease).block(Duration.ofSeconds(15));
        SharedSemaphore.Lease orphan = doomed.tryAcquire("orphaned", 1, lease).block(Duration.ofSeconds(15));
        assertThat(held).isNotNull();
        assertThat(orphan).isNotNull();

        stores.get(1).destroy(); // the instance that held "orphaned" is gone: nobody renews its lease

        await().atMost(Duration.ofSeconds(30)).until(() -> survivor.tryAcquire("orphaned", 1, lease).block(Duration.ofSeconds(15)) != null);
        // three lease times on, the renewed one still holds its only permit
        Mono.delay(lease.multipliedBy(3)).block();
        survivor.tryAcquire("renewed", 1, lease).as(StepVerifier::create).verifyComplete();
        held.release();
    }
}
