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
        @DefaultValue Login login) {

    AuthProperties {
        if (keyRotation.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("docqa.auth.key-rotation must be at least 1s");
        }
    }

    record Login(
            @DefaultValue("5") int maxFailures,
            @DefaultValue("30s") Duration baseLockout,
            @DefaultValue("15m") Duration maxLockout,
            @DefaultValue("15m") Duration window) {
    }
}
