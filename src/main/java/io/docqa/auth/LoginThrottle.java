package io.docqa.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

/**
 * Throttles repeated failed logins per email, known or unknown. After {@code maxFailures} failures within the
 * window, each further failure locks the email for a doubling period (capped). Kept in PostgreSQL so every
 * instance of the service sees the same count.
 */
@Component
class LoginThrottle {

    private final DatabaseClient db;
    private final AuthProperties.Login policy;

    LoginThrottle(DatabaseClient db, AuthProperties properties) {
        this.db = db;
        this.policy = properties.login();
    }

    Mono<Void> checkAllowed(String email) {
        return db.sql("select locked_until from login_failures where email_key = :key and locked_until > now()")
                .bind("key", key(email))
                .map(row -> row.get("locked_until", OffsetDateTime.class).toInstant())
                .one()
                .flatMap(until -> Mono.<Void>error(locked(until)));
    }

    Mono<Void> recordFailure(String email) {
        String sql = """
                insert into login_failures (email_key, failures, last_failed_at) values (:key, 1, now())
                on conflict (email_key) do update set
                  failures = case when login_failures.last_failed_at < now() - make_interval(secs => :window)
                                  then 1 else login_failures.failures + 1 end,
                  last_failed_at = now()
                returning failures
                """;
        return db.sql(sql)
                .bind("key", key(email))
                .bind("window", (double) policy.window().toSeconds())
                .map(row -> row.get("failures", Integer.class))
                .one()
                .filter(failures -> failures >= policy.maxFailures())
                .flatMap(failures -> lock(email, lockout(failures)));
    }

    Mono<Void> reset(String email) {
        return db.sql("delete from login_failures where email_key = :key").bind("key", key(email)).then();
    }

    private Mono<Void> lock(String email, Duration lockout) {
        return db.sql("update login_failures set locked_until = now() + make_interval(secs => :secs) where email_key = :key")
                .bind("secs", (double) lockout.toSeconds())
                .bind("key", key(email))
                .then();
    }

    private Duration lockout(int failures) {
        int doublings = Math.min(failures - policy.maxFailures(), 20);
        Duration lockout = policy.baseLockout().multipliedBy(1L << doublings);
        return lockout.compareTo(policy.maxLockout()) > 0 ? policy.maxLockout() : lockout;
    }

    private static ApiException locked(Instant until) {
        Duration wait = Duration.between(Instant.now(), until);
        return ApiException.tooManyRequests("too_many_attempts",
                "Too many failed sign-ins for this account; try again later", wait.isNegative() ? Duration.ofSeconds(1) : wait.plusSeconds(1));
    }

    static String key(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
