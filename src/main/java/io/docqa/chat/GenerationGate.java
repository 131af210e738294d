package io.docqa.chat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Shares the model: at most {@code maxConcurrentGenerations} generations at once. Requests that find every slot taken
 * wait in their tenant's line. A freed slot goes, in the same step that frees it, to the waiting tenant with the fewest
 * generations running (a tenant with none goes first), and among equals to the next in turn: a newcomer waits for the
 * next slot that frees, however many slots and places in line another tenant holds. Past {@code maxQueuedGenerations} waiting requests, new ones are refused with 429
 * {@code queue_full}; past its tenant's or its caller's share ({@link GenerationShares}), with 429 {@code rate_limited},
 * so that one tenant cannot fill the queue either.
 */
@Component
class GenerationGate {

    private enum State { NEW, WAITING, GRANTED, ENDED }

    private final int limit;
    private final int maxWaiting;
    private final Duration retryAfter;

    private final Object lock = new Object();
    private final FairShares shares;
    private final Map<TenantId, ArrayDeque<Reservation>> lines = new HashMap<>();
    private final ArrayDeque<TenantId> turns = new ArrayDeque<>();
    private final Map<TenantId, Integer> running = new HashMap<>();
    private int inFlight;
    private int waiting;

    @Autowired
    GenerationGate(ChatProperties properties, GenerationShares shares) {
        this(properties, shares, System::nanoTime);
    }

    GenerationGate(ChatProperties properties, GenerationShares shares, LongSupplier nanoTime) {
        this.limit = properties.maxConcurrentGenerations();
        this.maxWaiting = properties.maxQueuedGenerations();
        this.retryAfter = properties.queueRetryAfter();
        this.shares = new FairShares(shares, properties.queueRetryAfter(), nanoTime);
    }

    /**
     * A slot, at once when one is free, otherwise after waiting in line. Fails at once with 429 {@code queue_full} when
     * the line is full. Cancelling while waiting gives the place back. The permit belongs to whoever receives it: an
     * operator that drops it after delivery (a race with cancellation) leaks the slot, so prefer {@link #reserve} and
     * cancel the reservation when the work ends.
     */
    Mono<Permit> acquire(TenantId tenant) {
        return new Reservation(tenant, null).granted();
    }

    /**
     * Fails at once with 429 {@code queue_full} when the line is full now, or {@code rate_limited} when the tenant or the
     * caller ({@code null}: none) has its share waiting or generating, so a caller can refuse before it starts answering.
     * The reservation counts against those shares at once, but takes no place in line and no slot until
     * {@link Reservation#granted()} is subscribed; {@link Reservation#attach()} it to the answer that will
     * {@link Reservation#cancel()} it when it ends (one never attached stops counting after a while).
     */
    Mono<Reservation> reserve(TenantId tenant, UUID caller) {
        return Mono.defer(() -> {
            synchronized (lock) {
                if (!hasRoom()) {
                    return Mono.error(queueFull());
                }
                return Mono.just(new Reservation(tenant, shares.take(tenant, caller)));
            }
        });
    }

    /** Answers of the tenant that hold a place in its share: waiting, generating, or about to. */
    int heldBy(TenantId tenant) {
        synchronized (lock) {
            return shares.heldBy(tenant);
        }
    }

    int waiting() {
        synchronized (lock) {
            return waiting;
        }
    }

    int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    private ApiException queueFull() {
        return ApiException.tooManyRequests("queue_full", "Too many questions are waiting for the model; try again shortly",
                retryAfter);
    }

    private boolean hasRoom() {
        synchronized (lock) {
            return inFlight < limit || waiting < maxWaiting;
        }
    }

    /** Called with the lock held. Takes a slot or a place in line; false when the line is full. */
    private boolean enter(Reservation reservation) {
        if (waiting == 0 && inFlight < limit) {
            grant(reservation);
            return true;
        }
        if (waiting >= maxWaiting) {
            return false;
        }
        lines.computeIfAbsent(reservation.tenant, newcomer -> {
            turns.addLast(newcomer);
            return new ArrayDeque<>();
        }).addLast(reservation);
        waiting++;
        reservation.state = State.WAITING;
        return true;
    }

    /** Called with the lock held. Hands the freed slot to the next tenant ({@link #nextTenant()}); returns the news to deliver. */
    private List<Runnable> freeSlot(TenantId releasing) {
        inFlight--;
        running.computeIfPresent(releasing, (tenant, count) -> count == 1 ? null : count - 1);
        List<Runnable> news = new ArrayList<>(1);
        while (inFlight < limit && !turns.isEmpty()) {
            TenantId tenant = nextTenant();
            ArrayDeque<Reservation> line = lines.get(tenant);
            Reservation next = line.pollFirst();
            if (line.isEmpty()) {
                lines.remove(tenant);
            }
            else {
                turns.addLast(tenant);
            }
            waiting--;
            grant(next);
            MonoSink<Permit> waiter = next.sink;
            next.sink = null;
            if (waiter != null) {
                news.add(() -> waiter.success(next.permit));
            }
        }
        return news;
    }

    /**
     * Called with the lock held. Takes out of {@link #turns} the waiting tenant with the fewest generations running, the
     * first in turn among equals.
     */
    private TenantId nextTenant() {
        TenantId chosen = null;
        int fewest = Integer.MAX_VALUE;
        for (TenantId tenant : turns) {
            int count = running.getOrDefault(tenant, 0);
            if (count < fewest) {
                chosen = tenant;
                fewest = count;
            }
        }
        turns.remove(chosen);
        return chosen;
    }

    /** Called with the lock held. */
    private void grant(Reservation reservation) {
        inFlight++;
        running.merge(reservation.tenant, 1, Integer::sum);
        reservation.state = State.GRANTED;
    }

    /** Called with the lock held. */
    private void leaveLine(Reservation reservation) {
        ArrayDeque<Reservation> line = lines.get(reservation.tenant);
        line.remove(reservation);
        if (line.isEmpty()) {
            lines.remove(reservation.tenant);
            turns.remove(reservation.tenant);
        }
        waiting--;
    }

    /** A place in line, then a slot. {@link #cancel()} gives back whichever of the two it holds. */
    final class Reservation {

        private final TenantId tenant;
        private final Permit permit = new Permit(this);
        private volatile FairShares.Hold hold;
        private State state = State.NEW;
        private MonoSink<Permit> sink;

        private Reservation(TenantId tenant, FairShares.Hold hold) {
            this.tenant = tenant;
            this.hold = hold;
        }

        /** The answer that subscribed to this reservation's stream will cancel it when it ends. */
        void attach() {
            FairShares.Hold held = hold;
            if (held != null) {
                held.attach();
            }
        }

        /**
         * Joins the line on subscription (429 {@code queue_full} if it is full by then) and emits the permit when it is
         * this reservation's turn. Subscribe once; cancelling the subscription cancels the reservation.
         */
        Mono<Permit> granted() {
            return Mono.create(this::deliverTo);
        }

        /** Leaves the line, or releases the slot if it was granted. Idempotent. */
        void cancel() {
            MonoSink<Permit> waiter = end();
            if (waiter != null) {
                waiter.success();
            }
        }

        private void deliverTo(MonoSink<Permit> sink) {
            // Reactor runs this only when the permit did not reach the subscriber, so a permit granted in the same
            // instant as a cancel is released here and never lost.
            sink.onCancel(this::end);
            State now;
            synchronized (lock) {
                if (state == State.NEW && !enter(this)) {
                    state = State.ENDED;
                    now = null;
                }
                else {
                    now = state;
                }
                if (now == State.WAITING) {
                    this.sink = sink;
                    return;
                }
            }
            if (now == null) {
                sink.error(queueFull());
            }
            else if (now == State.GRANTED) {
                sink.success(permit);
            }
            else {
                sink.success();
            }
        }

        /** Returns the subscriber that was still waiting, if any. */
        private MonoSink<Permit> end() {
            List<Runnable> news;
            synchronized (lock) {
                if (hold != null) {
                    shares.release(hold);
                    hold = null;
                }
                switch (state) {
                    case NEW -> {
                        state = State.ENDED;
                        return null;
                    }
                    case WAITING -> {
                        leaveLine(this);
                        state = State.ENDED;
                        MonoSink<Permit> waiter = sink;
                        sink = null;
                        return waiter;
                    }
                    case GRANTED -> {
                        state = State.ENDED;
                        news = freeSlot(tenant);
                    }
                    default -> {
                        return null;
                    }
                }
            }
            news.forEach(Runnable::run);
            return null;
        }
    }

    /** One generation's slot. Release it when the generation ends; releasing again does nothing. */
    static final class Permit {

        private final Reservation reservation;

        private Permit(Reservation reservation) {
            this.reservation = reservation;
        }

        void release() {
            reservation.end();
        }
    }
}
