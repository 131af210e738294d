package io.docqa.limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

import org.springframework.stereotype.Component;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.docqa.web.ApiException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import reactor.core.publisher.Mono;

/**
 * Token buckets in Redis through Bucket4j's asynchronous Lettuce proxy: every instance draws from the same bucket, and
 * a draw is one atomic compare-and-swap, so parallel requests cannot all pass a check made before they were counted.
 * The proxies of recently used buckets are kept, each batching the draws made on it while one is in flight, so that a
 * burst on one bucket costs one compare-and-swap per instance instead of a retry for each of its requests.
 * Subjects (addresses, emails, ids) are stored only as hashes. A refusal is {@code 429 rate_limited} with the time until
 * the next token as {@code Retry-After}.
 */
@Component
public class RateLimiter {

    private final RedisStore store;
    private final Duration timeout;
    private final Map<Rule, BucketConfiguration> configurations = new EnumMap<>(Rule.class);
    private volatile Connected connected;

    RateLimiter(RedisStore store, RateLimitProperties properties, RedisProperties redis) {
        this.store = store;
        this.timeout = redis.timeout();
        for (Rule rule : Rule.values()) {
            RateLimitProperties.Limit limit = rule.limit(properties);
            configurations.put(rule, BucketConfiguration.builder()
                    .addLimit(Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build())
                    .build());
        }
    }

    /** Takes one token from the subject's bucket, or fails with {@code 429 rate_limited}. */
    public Mono<Void> consume(Rule rule, String subject) {
        return call(rule, subject, bucket -> Mono.fromFuture(() -> bucket.tryConsumeAndReturnRemaining(1)))
                .flatMap(probe -> probe.isConsumed() ? Mono.empty() : Mono.error(limited(rule, probe)));
    }

    /** Puts one token back, as if a counted request had not been made. */
    public Mono<Void> giveBack(Rule rule, String subject) {
        return call(rule, subject, bucket -> Mono.fromFuture(() -> bucket.addTokens(1)));
    }

    /** Fills the subject's bucket again. */
    public Mono<Void> reset(Rule rule, String subject) {
        return call(rule, subject, bucket -> Mono.fromFuture(() -> bucket.reset()));
    }

    private <T> Mono<T> call(Rule rule, String subject, Function<AsyncBucketProxy, Mono<T>> operation) {
        String key = key(rule, subject);
        return connected()
                .flatMap(now -> operation.apply(now.proxies().get(key, k -> now.buckets().builder()
                        .withOptimization(Optimizations.batching())
                        .build(k, configurations.get(rule)))))
                .onErrorMap(RedisStore::unavailable);
    }

    private Mono<Connected> connected() {
        return store.connection().map(connection -> {
            Connected now = connected;
            if (now == null || now.connection() != connection) {
                now = new Connected(connection, Bucket4jLettuce.casBasedBuilder(connection)
                        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                        .requestTimeout(timeout)
                        .build()
                        .asAsync(),
                        Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(5)).build());
                connected = now;
            }
            return now;
        });
    }

    private String key(Rule rule, String subject) {
        return store.key("rl:" + rule.key() + ":" + hash(subject));
    }

    private static String hash(String subject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException limited(Rule rule, ConsumptionProbe probe) {
        Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return ApiException.tooManyRequests("rate_limited",
                "Too many requests (limit " + rule.key() + "); try again in " + seconds + " s", Duration.ofSeconds(seconds));
    }

    private record Connected(StatefulRedisConnection<String, byte[]> connection, AsyncProxyManager<String> buckets,
            Cache<String, AsyncBucketProxy> proxies) {
    }
}
