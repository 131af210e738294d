package io.docqa.limits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Each limit is a token bucket: {@code capacity} requests at once, refilled evenly over {@code period}. A limit left
 * unset (or half set) takes its default from {@link Rule}.
 */
@ConfigurationProperties("docqa.rate-limit")
public record RateLimitProperties(
        Limit signupPerClient,
        Limit signupPerAccount,
        Limit loginPerClient,
        Limit loginPerAccountAndClient,
        Limit loginPerAccount,
        Limit refreshPerClient,
        Limit refreshPerAccount,
        Limit chatPerCaller,
        Limit chatPerTenant,
        Limit uploadPerCaller,
        Limit uploadPerTenant) {

    public record Limit(Integer capacity, Duration period) {

        Limit orElse(Limit fallback) {
            Limit limit = new Limit(capacity == null ? fallback.capacity() : capacity, period == null ? fallback.period() : period);
            if (limit.capacity() < 1 || limit.period().isNegative() || limit.period().isZero()) {
                throw new IllegalArgumentException("docqa.rate-limit: a capacity must be at least 1 and a period positive");
            }
            return limit;
        }
    }
}
