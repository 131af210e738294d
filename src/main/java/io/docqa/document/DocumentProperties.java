package io.docqa.document;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param ingestionLease how long an ingestion may go without progress (bytes read, text parsed, chunks embedded) before
 *        it is failed, and how long a crashed instance's ingestion waits before another instance takes it over
 */
@ConfigurationProperties("docqa.documents")
record DocumentProperties(
        @DefaultValue("100") int maxPageSize,
        @DefaultValue("256") int embedBatchSize,
        @DefaultValue("2") int embedBatchesInFlight,
        @DefaultValue("2m") Duration ingestionLease,
        @DefaultValue("1m") Duration recoveryInterval) {
}
