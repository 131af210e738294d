package io.docqa.limits;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The quotas of every tenant that the operator has not set otherwise; {@code -1} is unlimited.
 *
 * @param storageRetryAfter the {@code Retry-After} of a refusal by a storage quota, which has no reset time
 */
@ConfigurationProperties("docqa.quota")
record QuotaProperties(
        @DefaultValue("10000") long documents,
        @DefaultValue("10GB") DataSize bytes,
        @DefaultValue("1000000") long chunks,
        @DefaultValue("10000000") long monthlyCompletionTokens,
        @DefaultValue("10000") long dailyQuestions,
        @DefaultValue("1h") Duration storageRetryAfter) {

    QuotaProperties {
        for (long limit : new long[] { documents, bytes.toBytes(), chunks, monthlyCompletionTokens, dailyQuestions }) {
            if (limit < -1) {
                throw new IllegalArgumentException("docqa.quota: a limit is a number of at least 0, or -1 for unlimited");
            }
        }
        if (storageRetryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("docqa.quota.storage-retry-after must be at least 1s");
        }
    }

    Map<Quota, Long> defaults() {
        Map<Quota, Long> limits = new EnumMap<>(Quota.class);
        limits.put(Quota.DOCUMENTS, documents);
        limits.put(Quota.BYTES, bytes.toBytes());
        limits.put(Quota.CHUNKS, chunks);
        limits.put(Quota.MONTHLY_COMPLETION_TOKENS, monthlyCompletionTokens);
        limits.put(Quota.DAILY_QUESTIONS, dailyQuestions);
        return limits;
    }
}
