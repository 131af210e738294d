package io.docqa.limits;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import io.lettuce.core.ScriptOutputType;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Permits counted in Redis for every instance together: a sorted set of leases scored by their expiry on Redis's own
 * clock. A holder renews its lease every third of its time while it works; the lease of an instance that died runs out
 * and frees its permit for the others.
 */
@Component
public class SharedSemaphore {

    private static final Logger log = LoggerFactory.getLogger(SharedSemaphore.class);

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;
    private static final String ACQUIRE = NOW + """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
              redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """;
    private static final String RENEW = NOW + """
            local expires = redis.call('ZSCORE', KEYS[1], ARGV[2])
            if expires and tonumber(expires) > now then
              redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              return 1
            end
            return 0
            """;
    private static final String RELEASE = "return redis.call('ZREM', KEYS[1], ARGV[1])";

    private final RedisStore store;

    SharedSemaphore(RedisStore store) {
        this.store = store;
    }

    /** One of {@code permits} permits of {@code name}, or empty when all are taken now; 503 when Redis is unreachable. */
    public Mono<Lease> tryAcquire(String name, int permits, Duration leaseTime) {
        String key = store.key("sem:" + name);
        String id = UUID.randomUUID().toString();
        return eval(ACQUIRE, key, Integer.toString(permits), Long.toString(leaseTime.toMillis()), id)
                .filter(granted -> granted == 1L)
                .map(granted -> new Lease(key, id, leaseTime));
    }

    private Mono<Long> eval(String script, String key, String... arguments) {
        byte[][] values = new byte[arguments.length][];
        for (int i = 0; i < arguments.length; i++) {
            values[i] = arguments[i].getBytes(StandardCharsets.UTF_8);
        }
        return store.connection()
                .flatMap(connection -> Mono.fromCompletionStage(
                        connection.async().<Long>eval(script, ScriptOutputType.INTEGER, new String[] {key}, values)))
                .onErrorMap(RedisStore::unavailable);
    }

    /** A permit held; renewed until {@link #release()}. */
    public final class Lease {

        private final String key;
        private final String id;
        private final Disposable renewal;

        private Lease(String key, String id, Duration leaseTime) {
            this.key = key;
            this.id = id;
            this.renewal = Flux.interval(leaseTime.dividedBy(3))
                    .concatMap(tick -> eval(RENEW, key, Long.toString(leaseTime.toMillis()), id)
                            .onErrorResume(error -> Mono.just(-1L)))
                    .subscribe(renewed -> {
                        if (renewed == 0L) {
                            log.warn("A lease of {} ran out before it was renewed; the cluster may run one more than its cap", key);
                        }
                    });
        }

        /** Gives the permit back; again does nothing. */
        public void release() {
            if (renewal.isDisposed()) {
                return;
            }
            renewal.dispose();
            eval(RELEASE, key, id).subscribe(null, error -> log.warn("Could not release a lease of {}: {}", key, error.toString()));
        }
    }
}
