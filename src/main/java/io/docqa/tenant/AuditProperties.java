package io.docqa.tenant;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** How long audit events are kept ({@code DOCQA_AUDIT_RETENTION}) and how the purge runs. */
@ConfigurationProperties("docqa.audit")
record AuditProperties(
        @DefaultValue("365d") Duration retention,
        @DefaultValue("1h") Duration purgeInterval,
        @DefaultValue("1000") int purgeBatchSize) {

    AuditProperties {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("docqa.audit.retention must be a positive duration");
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("docqa.audit.purge-interval must be a positive duration");
        }
        if (purgeBatchSize < 1) {
            throw new IllegalArgumentException("docqa.audit.purge-batch-size must be at least 1");
        }
    }
}
