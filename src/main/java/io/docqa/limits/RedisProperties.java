package io.docqa.limits;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis that holds what every instance must see alike: rate-limit buckets and the cluster's generation leases.
 * {@code keyPrefix} starts every key, so that several deployments (or test runs) can share one Redis.
 */
@ConfigurationProperties("docqa.redis")
record RedisProperties(
        @DefaultValue("redis://localhost:6379") URI url,
        @DefaultValue("2s") Duration timeout,
        @DefaultValue("docqa:") String keyPrefix) {

    RedisProperties {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("docqa.redis.timeout must be positive");
        }
    }
}
