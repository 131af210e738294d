package io.docqa.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

@ConfigurationProperties("docqa.auth")
record AuthProperties(
        @DefaultValue("docqa") String issuer,
        @DefaultValue("docqa-api") String audience,
        @DefaultValue("15m") Duration accessTokenTtl,
        @DefaultValue("30d") Duration refreshTokenTtl,
        @DefaultValue("30d") Duration keyRotation,
        @DefaultValue("256") int maxPasswordLength,
        @DefaultValue("60s") Duration callerCacheTtl,
        @DefaultValue("10000") int callerCacheSize) {

    AuthProperties {
        if (keyRotation.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("docqa.auth.key-rotation must be at least 1s");
        }
        if (callerCacheTtl.isNegative() || callerCacheSize < 1) {
            throw new IllegalArgumentException("docqa.auth.caller-cache-ttl must not be negative, docqa.auth.caller-cache-size at least 1");
        }
    }
}
