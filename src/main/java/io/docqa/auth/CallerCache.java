package io.docqa.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;
import io.docqa.tenant.Caller;
import reactor.core.publisher.Mono;

/**
 * Who a bearer token stood for a moment ago, so that a question does not verify the same signature and read the same
 * user or key rows again and again. An entry lives at most {@code docqa.auth.caller-cache-ttl} and never past the
 * token's or key's expiry. Revocation stays immediate: every change that can take access away empties the caches of
 * all instances ({@link CredentialChanges}), and while the change notifications cannot be received the cache is not
 * used at all. A lookup that overlapped such a change is not kept.
 */
@Component
class CallerCache {

    /** What a lookup found: the caller, and until when the credential itself is valid (null: no expiry of its own). */
    record Found(Caller caller, Instant validUntil) {
    }

    private record Entry(Caller caller, long validUntilMillis) {
    }

    private final Cache<String, Entry> entries;
    private final Duration ttl;
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;

    CallerCache(AuthProperties properties) {
        this.ttl = properties.callerCacheTtl();
        this.entries = Caffeine.newBuilder().maximumSize(properties.callerCacheSize()).expireAfterWrite(ttl.isZero() ? Duration.ofNanos(1) : ttl).build();
    }

    boolean enabled() {
        return !ttl.isZero();
    }

    /** The caller of {@code token}, from the cache or else from {@code lookup} (whose answer is kept if it may be). */
    Mono<Caller> caller(String token, Mono<Found> lookup) {
        if (!listening) {
            return lookup.map(Found::caller);
        }
        Entry hit = entries.getIfPresent(token);
        if (hit != null && hit.validUntilMillis() > System.currentTimeMillis()) {
            return Mono.just(hit.caller());
        }
        return Mono.defer(() -> {
            long before = generation.get();
            return lookup.doOnNext(found -> keep(token, found, before)).map(Found::caller);
        });
    }

    private void keep(String token, Found found, long generationBefore) {
        long until = System.currentTimeMillis() + ttl.toMillis();
        if (found.validUntil() != null) {
            until = Math.min(until, found.validUntil().toEpochMilli());
        }
        if (!listening || generation.get() != generationBefore) {
            return;
        }
        entries.put(token, new Entry(found.caller(), until));
        if (!listening || generation.get() != generationBefore) {
            entries.invalidate(token); // a change came in meanwhile: what was read may be older than it
        }
    }

    /** Whether {@code token}'s caller is kept now. */
    boolean holds(String token) {
        return entries.getIfPresent(token) != null;
    }

    /** Something that may take access away committed: forget everything. */
    void invalidateAll() {
        generation.incrementAndGet();
        entries.invalidateAll();
    }

    void listening() {
        invalidateAll();
        listening = true;
    }

    void notListening() {
        listening = false;
        invalidateAll();
    }
}
