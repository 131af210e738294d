package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.springframework.http.HttpStatus;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class GenerationGateTest {

    private static final TenantId A = TenantId.random();
    private static final TenantId B = TenantId.random();
    private static final TenantId C = TenantId.random();

    private static final UUID ALICE = UUID.randomUUID();
    private static final UUID BOB = UUID.randomUUID();

    private static GenerationGate gate(int slots, int queue) {
        return gate(slots, queue, new GenerationShares(100_000, 100_000), System::nanoTime);
    }

    private static GenerationGate gate(int slots, int queue, GenerationShares shares, LongSupplier clock) {
        return new GenerationGate(ChatPropertiesTest.chatProperties(Map.of("max-concurrent-generations", "" + slots,
                "max-queued-generations", "" + queue, "queue-retry-after", "7s")), shares, clock);
    }

    /** Reserves and subscribes, as an answer does; the reservation is attached to it. */
    private static GenerationGate.Reservation answer(GenerationGate gate, TenantId tenant, UUID caller) {
        GenerationGate.Reservation reservation = gate.reserve(tenant, caller).block(Duration.ofSeconds(5));
        reservation.attach();
        reservation.granted().subscribe();
        return reservation;
    }

    private static void assertRateLimited(Mono<?> refused) {
        refused.as(StepVerifier::create)
                .expectErrorSatisfies(error -> {
                    ApiException problem = (ApiException) error;
                    assertThat(problem.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                    assertThat(problem.code()).isEqualTo("rate_limited");
                    assertThat(problem.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                })
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aTenantPastItsShareIsRefusedWhileAnotherTenantStillGetsIn() {
        GenerationGate gate = gate(2, 100, new GenerationShares(5, 100), System::nanoTime);
        List<GenerationGate.Reservation> flood = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            flood.add(answer(gate, A, UUID.randomUUID()));
        }

        assertRateLimited(gate.reserve(A, UUID.randomUUID()));
        assertThat(gate.inFlight()).isEqualTo(2);
        assertThat(gate.waiting()).isEqualTo(3);
        GenerationGate.Reservation other = answer(gate, B, BOB);
        assertThat(gate.waiting()).isEqualTo(4);

        flood.get(0).cancel();
        assertThat(gate.heldBy(A)).isEqualTo(4);
        gate.reserve(A, UUID.randomUUID()).as(StepVerifier::create).expectNextCount(1).verifyComplete();
        other.cancel();
        assertThat(gate.heldBy(B)).isZero();
    }

    @Test
    void aCallerPastItsShareIsRefusedWhileItsColleaguesStillGetIn() {
        GenerationGate gate = gate(1, 100, new GenerationShares(100, 2), System::nanoTime);
        answer(gate, A, ALICE);
        answer(gate, A, ALICE);

        assertRateLimited(gate.reserve(A, ALICE));
        gate.reserve(A, BOB).as(StepVerifier::create).expectNextCount(1).verifyComplete();
    }

    @Test
    void aHoldNeverAttachedStopsCountingAfterAWhile() {
        AtomicLong now = new AtomicLong();
        GenerationGate gate = gate(1, 100, new GenerationShares(1, 100), now::get);
        gate.reserve(A, ALICE).as(StepVerifier::create).expectNextCount(1).verifyComplete();
        assertRateLimited(gate.reserve(A, BOB));

        now.addAndGet(FairShares.UNCLAIMED.toNanos() + 1);

        answer(gate, A, BOB);
        now.addAndGet(FairShares.UNCLAIMED.toNanos() + 1);
        assertRateLimited(gate.reserve(A, ALICE));
    }

    /** Subscribes and keeps what arrives; a test may hold a permit across steps this way. */
    private static AtomicReference<GenerationGate.Permit> take(GenerationGate gate, TenantId tenant) {
        AtomicReference<GenerationGate.Permit> permit = new AtomicReference<>();
        gate.acquire(tenant).subscribe(permit::set);
        return permit;
    }

    @Test
    void grantsAtOnceWhenASlotIsFree() {
        GenerationGate gate = gate(2, 10);

        gate.acquire(A).as(StepVerifier::create)
                .assertNext(permit -> assertThat(gate.inFlight()).isEqualTo(1))
                .verifyComplete();
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void waitsUntilASlotIsReleased() {
        GenerationGate gate = gate(1, 10);
        AtomicReference<GenerationGate.Permit> first = take(gate, A);

        gate.acquire(B).as(StepVerifier::create)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> assertThat(gate.waiting()).isEqualTo(1))
                .then(() -> first.get().release())
                .assertNext(permit -> {
                    assertThat(gate.inFlight()).isEqualTo(1);
                    assertThat(gate.waiting()).isZero();
                })
                .verifyComplete();
    }

    @Test
    void servesTenantsInTurn() {
        GenerationGate gate = gate(1, 100);
        AtomicReference<GenerationGate.Permit> holder = take(gate, A);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<GenerationGate.Permit> granted = Collections.synchronizedList(new ArrayList<>());
        String[] arrivals = {"A1", "A2", "A3", "A4", "A5", "B1", "C1", "A6", "B2"};
        for (String arrival : arrivals) {
            TenantId tenant = switch (arrival.charAt(0)) {
                case 'A' -> A;
                case 'B' -> B;
                default -> C;
            };
            gate.acquire(tenant).subscribe(permit -> {
                order.add(arrival);
                granted.add(permit);
            });
        }
        assertThat(gate.waiting()).isEqualTo(9);

        holder.get().release();
        for (int i = 0; i < arrivals.length - 1; i++) {
            granted.get(i).release();
        }

        assertThat(order).containsExactly("A1", "B1", "C1", "A2", "B2", "A3", "A4", "A5", "A6");
        assertThat(gate.inFlight()).isEqualTo(1);
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void aBurstDoesNotStarveASingleQuestion() {
        GenerationGate gate = gate(1, 100);
        AtomicReference<GenerationGate.Permit> holder = take(gate, A);
        List<TenantId> order = Collections.synchronizedList(new ArrayList<>());
        List<GenerationGate.Permit> granted = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 50; i++) {
            gate.acquire(A).subscribe(permit -> {
                order.add(A);
                granted.add(permit);
            });
        }
        gate.acquire(B).subscribe(permit -> {
            order.add(B);
            granted.add(permit);
        });

        holder.get().release();
        granted.get(0).release();

        assertThat(order).containsExactly(A, B);
    }

    /** Subscribes and records the order in which tenants are granted, keeping the permits. */
    private static void enqueue(GenerationGate gate, TenantId tenant, String name, List<String> order,
            List<GenerationGate.Permit> granted) {
        gate.acquire(tenant).subscribe(permit -> {
            order.add(name);
            granted.add(permit);
        });
    }

    @Test
    void aNewcomerGetsTheNextSlotThatFreesWhileAnotherTenantHoldsEverySlotAndAWaitingLine() {
        GenerationGate gate = gate(4, 100);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<GenerationGate.Permit> granted = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 20; i++) {
            enqueue(gate, A, "A" + i, order, granted);
        }
        assertThat(gate.inFlight()).isEqualTo(4);
        assertThat(gate.waiting()).isEqualTo(16);
        enqueue(gate, B, "B", order, granted);

        granted.get(0).release();

        assertThat(order).containsExactly("A0", "A1", "A2", "A3", "B");
        granted.get(1).release();
        assertThat(order).endsWith("A4");
        enqueue(gate, C, "C", order, granted);
        granted.get(2).release();
        assertThat(order).endsWith("C");
        assertThat(gate.inFlight()).isEqualTo(4);
        assertThat(gate.waiting()).isEqualTo(15);
    }

    @Test
    void aFreedSlotGoesToTheWaitingTenantWithFewestRunningBeforeTheOneWhoseTurnItIs() {
        GenerationGate gate = gate(3, 100);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<GenerationGate.Permit> granted = Collections.synchronizedList(new ArrayList<>());
        enqueue(gate, A, "A0", order, granted);
        enqueue(gate, B, "B0", order, granted);
        enqueue(gate, A, "A1", order, granted);
        enqueue(gate, A, "A2", order, granted);
        enqueue(gate, B, "B1", order, granted);

        granted.get(1).release();

        assertThat(order).containsExactly("A0", "B0", "A1", "B1");
        granted.get(2).release();
        assertThat(order).endsWith("A2");
    }

    @Test
    void refusesWhenTheQueueIsFull() {
        GenerationGate gate = gate(1, 2);
        take(gate, A);
        take(gate, A);
        take(gate, B);

        gate.acquire(C).as(StepVerifier::create)
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(ApiException.class);
                    ApiException problem = (ApiException) error;
                    assertThat(problem.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                    assertThat(problem.code()).isEqualTo("queue_full");
                    assertThat(problem.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                })
                .verify(Duration.ofSeconds(5));
        assertThat(gate.waiting()).isEqualTo(2);
    }

    @Test
    void cancellingWhileWaitingGivesThePlaceBack() {
        GenerationGate gate = gate(1, 1);
        AtomicReference<GenerationGate.Permit> holder = take(gate, A);

        gate.acquire(B).as(StepVerifier::create)
                .expectSubscription()
                .then(() -> assertThat(gate.waiting()).isEqualTo(1))
                .thenCancel()
                .verify(Duration.ofSeconds(5));

        assertThat(gate.waiting()).isZero();
        AtomicReference<GenerationGate.Permit> next = take(gate, C);
        holder.get().release();
        assertThat(next.get()).isNotNull();
        assertThat(gate.inFlight()).isEqualTo(1);
        next.get().release();
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void releasingTwiceFreesOneSlot() {
        GenerationGate gate = gate(1, 10);
        AtomicReference<GenerationGate.Permit> first = take(gate, A);
        AtomicReference<GenerationGate.Permit> second = take(gate, B);
        AtomicReference<GenerationGate.Permit> third = take(gate, C);

        first.get().release();
        first.get().release();

        assertThat(second.get()).isNotNull();
        assertThat(third.get()).isNull();
        assertThat(gate.inFlight()).isEqualTo(1);
        assertThat(gate.waiting()).isEqualTo(1);
    }

    @Test
    void aReservationRefusesAtOnceWhenTheLineIsFullAndWaitsForItsTurnLater() {
        GenerationGate gate = gate(1, 1);
        AtomicReference<GenerationGate.Permit> holder = take(gate, A);
        AtomicReference<GenerationGate.Reservation> reservation = new AtomicReference<>();
        gate.reserve(B, null).as(StepVerifier::create).consumeNextWith(reservation::set).verifyComplete();

        reservation.get().granted().as(StepVerifier::create)
                .expectSubscription()
                .then(() -> assertThat(gate.waiting()).isEqualTo(1))
                .then(() -> gate.reserve(C, null).as(StepVerifier::create)
                        .expectErrorSatisfies(error -> assertThat(((ApiException) error).code()).isEqualTo("queue_full"))
                        .verify(Duration.ofSeconds(5)))
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> holder.get().release())
                .expectNextCount(1)
                .verifyComplete();
        assertThat(gate.inFlight()).isEqualTo(1);
        reservation.get().cancel();
        reservation.get().cancel();
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void aReservationHoldsNothingUntilItIsUsed() {
        GenerationGate gate = gate(1, 1);

        gate.reserve(A, null).as(StepVerifier::create).expectNextCount(1).verifyComplete();

        assertThat(gate.inFlight()).isZero();
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void cancellingAReservationReleasesASlotItsSubscriberNeverSaw() {
        GenerationGate gate = gate(1, 1);
        AtomicReference<GenerationGate.Permit> holder = take(gate, A);
        AtomicReference<GenerationGate.Reservation> reservation = new AtomicReference<>();
        gate.reserve(B, null).subscribe(reservation::set);
        AtomicReference<Object> dropped = new AtomicReference<>();
        // A subscriber that lets the permit fall on the floor, as some operators do when cancelled at the same moment.
        reservation.get().granted().subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnNext(GenerationGate.Permit permit) {
                dropped.set(permit);
            }
        });

        holder.get().release();
        assertThat(dropped.get()).isNotNull();
        assertThat(gate.inFlight()).isEqualTo(1);
        reservation.get().cancel();

        assertThat(gate.inFlight()).isZero();
        reservation.get().granted().as(StepVerifier::create).verifyComplete();
    }

    @Test
    void cancellingAReservationEndsItsWaitingSubscriber() {
        GenerationGate gate = gate(1, 1);
        take(gate, A);
        AtomicReference<GenerationGate.Reservation> reservation = new AtomicReference<>();
        gate.reserve(B, null).subscribe(reservation::set);

        reservation.get().granted().as(StepVerifier::create)
                .expectSubscription()
                .then(() -> reservation.get().cancel())
                .verifyComplete();
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void aPermitGrantedAsItsSubscriberCancelsIsNotLost() throws Exception {
        GenerationGate gate = gate(1, 1);
        CyclicBarrier start = new CyclicBarrier(2);
        int delivered = 0;
        for (int round = 0; round < 2_000; round++) {
            AtomicReference<GenerationGate.Permit> holder = take(gate, A);
            Keeper waiter = new Keeper();
            gate.acquire(B).subscribe(waiter);
            Thread releaser = new Thread(() -> {
                await(start);
                holder.get().release();
            });
            releaser.start();
            await(start);
            waiter.subscription.cancel();
            releaser.join();
            if (waiter.permit != null) {
                delivered++;
                waiter.permit.release();
            }
            assertThat(gate.inFlight()).as("round %d", round).isZero();
            assertThat(gate.waiting()).as("round %d", round).isZero();
        }
        assertThat(delivered).as("the race went both ways").isBetween(1, 1_999);
    }

    @Test
    void aReservationCancelledAsItIsGrantedLeavesNothingBehind() throws Exception {
        GenerationGate gate = gate(1, 1);
        CyclicBarrier start = new CyclicBarrier(2);
        for (int round = 0; round < 2_000; round++) {
            AtomicReference<GenerationGate.Permit> holder = take(gate, A);
            AtomicReference<GenerationGate.Reservation> reserved = new AtomicReference<>();
            gate.reserve(B, null).subscribe(reserved::set);
            GenerationGate.Reservation reservation = reserved.get();
            Disposable answer = reservation.granted()
                    .flatMapMany(permit -> Flux.never().doFinally(signal -> permit.release()))
                    .doFinally(signal -> reservation.cancel())
                    .subscribe();
            Thread releaser = new Thread(() -> {
                await(start);
                holder.get().release();
            });
            releaser.start();
            await(start);
            answer.dispose();
            releaser.join();
            assertThat(gate.inFlight()).as("round %d", round).isZero();
            assertThat(gate.waiting()).as("round %d", round).isZero();
        }
    }

    @Test
    void neverMoreThanTheLimitUnderLoad() {
        int slots = 3;
        GenerationGate gate = gate(slots, 100_000);
        TenantId[] tenants = {A, B, C, TenantId.random(), TenantId.random()};
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger mostWaiting = new AtomicInteger();

        Flux<Integer> work = Flux.range(0, 4_000)
                .parallel(8).runOn(Schedulers.parallel())
                .flatMap(i -> {
                    Mono<Integer> generation = gate.acquire(tenants[i % tenants.length])
                            .flatMap(permit -> {
                                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                                most.accumulateAndGet(gate.inFlight(), Math::max);
                                mostWaiting.accumulateAndGet(gate.waiting(), Math::max);
                                return Mono.fromCallable(() -> ThreadLocalRandom.current().nextInt(100))
                                        .subscribeOn(Schedulers.boundedElastic())
                                        .doFinally(signal -> {
                                            running.decrementAndGet();
                                            permit.release();
                                            if (i % 7 == 0) {
                                                permit.release();
                                            }
                                        });
                            });
                    // Every fifth caller gives up almost at once, often while still waiting.
                    return i % 5 == 0
                            ? generation.timeout(Duration.ofNanos(1)).onErrorResume(error -> Mono.empty())
                            : generation.doOnNext(value -> completed.incrementAndGet());
                }, false, 16)
                .sequential();

        work.as(StepVerifier::create).thenConsumeWhile(value -> true).expectComplete().verify(Duration.ofSeconds(60));

        assertThat(most.get()).isBetween(1, slots);
        assertThat(mostWaiting.get()).as("requests had to wait").isPositive();
        assertThat(completed.get()).isEqualTo(4_000 - 800);
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.waiting()).isZero();
    }

    /** A plain subscriber: keeps whatever arrives, even after it cancelled, so only the gate can lose a permit. */
    private static final class Keeper implements Subscriber<GenerationGate.Permit> {

        volatile Subscription subscription;
        volatile GenerationGate.Permit permit;

        @Override
        public void onSubscribe(Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(GenerationGate.Permit permit) {
            this.permit = permit;
        }

        @Override
        public void onError(Throwable error) {
        }

        @Override
        public void onComplete() {
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
