package io.docqa.document;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The background re-index that moves tenants' vectors to the configured {@link io.docqa.ai.IndexGeneration}
 * ({@link IndexRebuilds}).
 *
 * @param enabled whether this instance re-indexes (searches follow the generations either way)
 * @param batchSize chunks embedded (one at a time) and written to Chroma per step; the lease and the resume point are
 *        saved after each step
 * @param lease how long a tenant's re-index stays with an instance that stopped making progress before another one
 *        takes it over
 * @param interval how often an instance looks for tenants to re-index (and for one waiting on uploads in progress)
 * @param retireGrace how long after a tenant's switch to the new generation the old collection is kept, for the
 *        questions that chose it just before
 * @param activeCache how long an instance keeps a tenant's active generation before reading it again; below
 *        {@code retireGrace}
 */
@ConfigurationProperties("docqa.index-rebuild")
record IndexRebuildProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("16") int batchSize,
        @DefaultValue("1m") Duration lease,
        @DefaultValue("10s") Duration interval,
        @DefaultValue("30s") Duration retireGrace,
        @DefaultValue("5s") Duration activeCache) {

    @ConstructorBinding
    IndexRebuildProperties {
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("docqa.index-rebuild.batch-size must be between 1 and 1000, was " + batchSize);
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("docqa.index-rebuild.lease must be at least 1s, was " + lease);
        }
        if (retireGrace.isNegative()) {
            throw new IllegalArgumentException("docqa.index-rebuild.retire-grace must not be negative, was " + retireGrace);
        }
        if (activeCache.isNegative() || !retireGrace.isZero() && activeCache.compareTo(retireGrace) >= 0) {
            throw new IllegalArgumentException("docqa.index-rebuild.active-cache must be below retire-grace, was " + activeCache);
        }
        if (interval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("docqa.index-rebuild.interval must be at least 100ms, was " + interval);
        }
    }
}
