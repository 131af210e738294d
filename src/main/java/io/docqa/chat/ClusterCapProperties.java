package io.docqa.chat;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A cap on generations at once across every instance, for several instances sharing one model server; {@code 0} (the
 * default) leaves only each instance's own {@code docqa.chat.max-concurrent-generations}. A generation holds a lease
 * in Redis, renewed while it runs; the lease of an instance that died frees its place after {@code lease}. A question
 * whose instance has a slot but the cluster has none asks again every {@code pollInterval}.
 */
@ConfigurationProperties("docqa.chat.cluster")
record ClusterCapProperties(
        @DefaultValue("0") int maxConcurrentGenerations,
        @DefaultValue("30s") Duration lease,
        @DefaultValue("250ms") Duration pollInterval) {

    ClusterCapProperties {
        if (maxConcurrentGenerations < 0) {
            throw new IllegalArgumentException("docqa.chat.cluster.max-concurrent-generations must not be negative");
        }
        if (lease.compareTo(Duration.ofSeconds(3)) < 0 || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("docqa.chat.cluster.lease must be at least 3s and poll-interval positive");
        }
    }

    boolean enabled() {
        return maxConcurrentGenerations > 0;
    }
}
