package io.docqa.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/**
 * The one-time code a finished sign-on hands to the page (in the URL fragment, never a token), which the page trades
 * for docqa's tokens by POST. Short-lived, stored as a hash, spent by the first redemption.
 */
@Component
class SsoLoginCodes {

    static final String PREFIX = "sso_";

    private final DatabaseClient db;
    private final Duration ttl;

    SsoLoginCodes(DatabaseClient db, SsoProperties properties) {
        this.db = db;
        this.ttl = properties.codeTtl();
    }

    Mono<String> issue(User user) {
        String code = SecretTokens.random(PREFIX);
        return db.sql("""
                        insert into sso_login_codes (code_hash, tenant_id, user_id, expires_at)
                        values (:hash, :tenant, :user, now() + make_interval(secs => :ttl))
                        """)
                .bind("hash", SecretTokens.hash(code))
                .bind("tenant", user.tenantId().value())
                .bind("user", user.id())
                .bind("ttl", (double) ttl.toSeconds())
                .then()
                .thenReturn(code);
    }

    /** The user the code was issued to, or empty when it is unknown, expired or already spent. */
    Mono<SsoIdentities.Linked> redeem(String code) {
        // expired codes of anyone are swept on the way
        return db.sql("""
                        delete from sso_login_codes where code_hash = :hash or expires_at < now()
                        returning tenant_id, user_id, code_hash = :hash and expires_at > now() as valid
                        """)
                .bind("hash", SecretTokens.hash(code))
                .map(row -> Boolean.TRUE.equals(row.get("valid", Boolean.class))
                        ? Optional.of(new SsoIdentities.Linked(new TenantId(row.get("tenant_id", UUID.class)), row.get("user_id", UUID.class)))
                        : Optional.<SsoIdentities.Linked>empty())
                .all()
                .filter(Optional::isPresent)
                .map(Optional::get)
                .next();
    }
}
