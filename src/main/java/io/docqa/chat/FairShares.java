package io.docqa.chat;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;

import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;

/**
 * Counts the answers each tenant and each caller has waiting or being generated, and refuses one more past their caps.
 * Not thread-safe: {@link GenerationGate} calls it under its lock. A hold that was never attached to a running answer
 * (its request went away between the check and the stream) stops counting after {@link #UNCLAIMED}.
 */
final class FairShares {

    static final Duration UNCLAIMED = Duration.ofSeconds(30);

    private final GenerationShares caps;
    private final Duration retryAfter;
    private final LongSupplier nanoTime;
    private final Map<TenantId, Set<Hold>> tenants = new HashMap<>();
    private final Map<UUID, Set<Hold>> callers = new HashMap<>();

    FairShares(GenerationShares caps, Duration retryAfter, LongSupplier nanoTime) {
        this.caps = caps;
        this.retryAfter = retryAfter;
        this.nanoTime = nanoTime;
    }

    /** A hold on one place of the tenant's and the caller's shares; {@code 429 rate_limited} when either is full. */
    Hold take(TenantId tenant, UUID caller) {
        Set<Hold> ofTenant = live(tenants.get(tenant));
        if (ofTenant != null && ofTenant.size() >= caps.maxPerTenant()) {
            throw refusal("This tenant has " + caps.maxPerTenant() + " answers waiting or being generated, its share of the model");
        }
        Set<Hold> ofCaller = caller == null ? null : live(callers.get(caller));
        if (ofCaller != null && ofCaller.size() >= caps.maxPerCaller()) {
            throw refusal("You have " + caps.maxPerCaller() + " answers waiting or being generated, your share of the model");
        }
        Hold hold = new Hold(tenant, caller, nanoTime.getAsLong());
        tenants.computeIfAbsent(tenant, t -> new LinkedHashSet<>()).add(hold);
        if (caller != null) {
            callers.computeIfAbsent(caller, c -> new LinkedHashSet<>()).add(hold);
        }
        return hold;
    }

    void release(Hold hold) {
        remove(tenants, hold.tenant, hold);
        if (hold.caller != null) {
            remove(callers, hold.caller, hold);
        }
    }

    int heldBy(TenantId tenant) {
        Set<Hold> held = live(tenants.get(tenant));
        return held == null ? 0 : held.size();
    }

    private Set<Hold> live(Set<Hold> held) {
        if (held != null) {
            long now = nanoTime.getAsLong();
            held.removeIf(hold -> !hold.attached && now - hold.since > UNCLAIMED.toNanos());
        }
        return held;
    }

    private static <K> void remove(Map<K, Set<Hold>> holds, K key, Hold hold) {
        Set<Hold> held = holds.get(key);
        if (held != null && held.remove(hold) && held.isEmpty()) {
            holds.remove(key);
        }
    }

    private ApiException refusal(String detail) {
        return ApiException.tooManyRequests("rate_limited", detail + "; try again when one of them has ended", retryAfter);
    }

    /** One place in a tenant's and a caller's share. */
    static final class Hold {

        private final TenantId tenant;
        private final UUID caller;
        private final long since;
        private volatile boolean attached;

        private Hold(TenantId tenant, UUID caller, long since) {
            this.tenant = tenant;
            this.caller = caller;
            this.since = since;
        }

        /** The answer that uses this hold is running and will release it when it ends. */
        void attach() {
            attached = true;
        }
    }
}
