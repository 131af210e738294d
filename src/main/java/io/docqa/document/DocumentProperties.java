package io.docqa.document;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

@ConfigurationProperties("docqa.documents")
record DocumentProperties(
        @DefaultValue("100") int maxPageSize,
        @DefaultValue("64") int embedBatchSize,
        @DefaultValue("2") int embedBatchesInFlight,
        @DefaultValue("10m") Duration abandonedAfter,
        @DefaultValue("1m") Duration recoveryInterval) {
}
