package io.docqa.limits;

import java.time.Duration;
import java.util.function.Function;

/** The rate limits of the service, with their defaults. Keys name what a bucket counts. */
public enum Rule {

    /** Sign-ups from one client address. */
    SIGNUP_PER_CLIENT("signup:client", 10, Duration.ofHours(1), RateLimitProperties::signupPerClient),
    /** Sign-ups naming one email (each answers whether the email is taken). */
    SIGNUP_PER_ACCOUNT("signup:account", 5, Duration.ofHours(1), RateLimitProperties::signupPerAccount),
    /** Logins from one client address, to any account: credential stuffing. */
    LOGIN_PER_CLIENT("login:client", 30, Duration.ofMinutes(5), RateLimitProperties::loginPerClient),
    /** Failed logins to one account from one client; a success empties the count. */
    LOGIN_PER_ACCOUNT_AND_CLIENT("login:account-client", 5, Duration.ofMinutes(15), RateLimitProperties::loginPerAccountAndClient),
    /** Failed logins to one account from every client together: a guess spread over many addresses. */
    LOGIN_PER_ACCOUNT("login:account", 50, Duration.ofHours(1), RateLimitProperties::loginPerAccount),
    /** Token refreshes from one client address. */
    REFRESH_PER_CLIENT("refresh:client", 60, Duration.ofMinutes(1), RateLimitProperties::refreshPerClient),
    /** Token refreshes of one user. */
    REFRESH_PER_ACCOUNT("refresh:account", 20, Duration.ofMinutes(1), RateLimitProperties::refreshPerAccount),
    /** Questions of one user or API key. */
    CHAT_PER_CALLER("chat:caller", 30, Duration.ofMinutes(1), RateLimitProperties::chatPerCaller),
    /** Questions of one tenant, all its users and keys together. */
    CHAT_PER_TENANT("chat:tenant", 120, Duration.ofMinutes(1), RateLimitProperties::chatPerTenant),
    /** Upload requests of one user or API key. */
    UPLOAD_PER_CALLER("upload:caller", 30, Duration.ofMinutes(1), RateLimitProperties::uploadPerCaller),
    /** Upload requests of one tenant. */
    UPLOAD_PER_TENANT("upload:tenant", 120, Duration.ofMinutes(1), RateLimitProperties::uploadPerTenant);

    private final String key;
    private final RateLimitProperties.Limit fallback;
    private final Function<RateLimitProperties, RateLimitProperties.Limit> configured;

    Rule(String key, int capacity, Duration period, Function<RateLimitProperties, RateLimitProperties.Limit> configured) {
        this.key = key;
        this.fallback = new RateLimitProperties.Limit(capacity, period);
        this.configured = configured;
    }

    String key() {
        return key;
    }

    RateLimitProperties.Limit limit(RateLimitProperties properties) {
        RateLimitProperties.Limit set = configured.apply(properties);
        return set == null ? fallback.orElse(fallback) : set.orElse(fallback);
    }
}
