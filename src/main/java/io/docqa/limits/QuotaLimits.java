package io.docqa.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

/** A tenant's quotas: the configured defaults with the operator's overrides on top, and the refusal when one is used up. */
@Component
public class QuotaLimits {

    private final QuotaProperties properties;
    private final QuotaOverrides overrides;
    private final Map<Quota, Counter> refusals = new EnumMap<>(Quota.class);

    QuotaLimits(QuotaProperties properties, QuotaOverrides overrides, MeterRegistry registry) {
        this.properties = properties;
        this.overrides = overrides;
        for (Quota quota : Quota.values()) {
            refusals.put(quota, Counter.builder("docqa.quota.refusals").description("Requests refused by a used-up tenant quota")
                    .tag("quota", quota.json()).register(registry));
        }
    }

    public Mono<Limits> of(TenantId tenant) {
        return overrides.of(tenant).map(set -> {
            Map<Quota, Long> limits = new EnumMap<>(properties.defaults());
            limits.putAll(set);
            return new Limits(limits);
        });
    }

    /** The configured limit of every tenant the operator has not set otherwise; {@code -1} is unlimited. */
    long defaultOf(Quota quota) {
        return properties.defaults().get(quota);
    }

    /** {@code 429 quota_exceeded} naming the quota, its limit and when it resets, with {@code Retry-After}. */
    public ApiException exceeded(Quota quota, long limit) {
        refusals.get(quota).increment();
        Instant now = Instant.now();
        Instant resetsAt = quota.resetsAt(now);
        Duration retryAfter = resetsAt == null ? properties.storageRetryAfter() : Duration.between(now, resetsAt).plusSeconds(1);
        String when = resetsAt == null ? "; delete documents or ask the operator for more" : " until " + resetsAt;
        return ApiException.tooManyRequests("quota_exceeded", "The tenant's quota '" + quota.json() + "' (" + limit
                        + ") is used up" + when, retryAfter)
                .with("quota", quota.json())
                .with("limit", limit)
                .with("resets_at", resetsAt == null ? null : resetsAt.toString());
    }

    /** A tenant's limit of each quota; {@code -1} is unlimited. */
    public record Limits(Map<Quota, Long> limits) {

        public long of(Quota quota) {
            return limits.get(quota);
        }

        public boolean limited(Quota quota) {
            return of(quota) >= 0;
        }
    }

    static ApiException unknownQuota(String name) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", "No quota named '" + name + "'");
    }
}
