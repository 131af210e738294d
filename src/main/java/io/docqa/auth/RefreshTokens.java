package io.docqa.auth;

import java.time.Duration;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/**
 * Opaque refresh tokens, stored only as SHA-256 hashes, rotated on every use. Each login starts a family; a token
 * presented after it was spent means it was stolen or replayed, and the whole family is revoked.
 */
@Component
class RefreshTokens {

    static final String PREFIX = "rt_";

    private final DatabaseClient db;
    private final Duration ttl;

    RefreshTokens(DatabaseClient db, AuthProperties properties) {
        this.db = db;
        this.ttl = properties.refreshTokenTtl();
    }

    Mono<String> startFamily(TenantId tenant, UUID userId) {
        return issue(tenant, userId, UUID.randomUUID());
    }

    /**
     * Spends the token: its holder, or empty when the token is unknown, expired, revoked or already spent, or when
     * any token of its family is revoked. The last covers a race: a family revoked while its next token was being
     * issued (a reuse seen by another instance) leaves that token unrevoked, but never spendable.
     */
    Mono<Holder> spend(String token) {
        return db.sql("""
                        update refresh_tokens t set used_at = now()
                        where token_hash = :hash and used_at is null and revoked_at is null and expires_at > now()
                          and not exists (select 1 from refresh_tokens r where r.family_id = t.family_id and r.revoked_at is not null)
                        returning tenant_id, user_id, family_id
                        """)
                .bind("hash", SecretTokens.hash(token))
                .map(row -> new Holder(new TenantId(row.get("tenant_id", UUID.class)), row.get("user_id", UUID.class),
                        row.get("family_id", UUID.class)))
                .one();
    }

    /** When {@code token} was already spent, revokes its family and returns the holder (a reuse to audit). */
    Mono<Holder> revokeFamilyIfReused(String token) {
        return db.sql("""
                        with spent as (
                          select tenant_id, user_id, family_id from refresh_tokens
                          where token_hash = :hash and used_at is not null)
                        update refresh_tokens t set revoked_at = now()
                        from spent where t.family_id = spent.family_id and t.revoked_at is null
                        returning spent.tenant_id, spent.user_id, spent.family_id
                        """)
                .bind("hash", SecretTokens.hash(token))
                .map(row -> new Holder(new TenantId(row.get("tenant_id", UUID.class)), row.get("user_id", UUID.class),
                        row.get("family_id", UUID.class)))
                .all()
                .next();
    }

    Mono<String> next(Holder holder) {
        return issue(holder.tenantId(), holder.userId(), holder.familyId());
    }

    /** Revokes the family of the token; its holder, or empty for an unknown token. */
    Mono<Holder> revokeFamily(String token) {
        return db.sql("""
                        with owner as (select tenant_id, user_id, family_id from refresh_tokens where token_hash = :hash)
                        update refresh_tokens t set revoked_at = coalesce(t.revoked_at, now())
                        from owner where t.family_id = owner.family_id
                        returning owner.tenant_id, owner.user_id, owner.family_id
                        """)
                .bind("hash", SecretTokens.hash(token))
                .map(row -> new Holder(new TenantId(row.get("tenant_id", UUID.class)), row.get("user_id", UUID.class),
                        row.get("family_id", UUID.class)))
                .all()
                .next();
    }

    /** The user the token was issued to, spent or not; empty for an unknown token. */
    Mono<UUID> userOf(String token) {
        return db.sql("select user_id from refresh_tokens where token_hash = :hash")
                .bind("hash", SecretTokens.hash(token))
                .map(row -> row.get("user_id", UUID.class))
                .one();
    }

    Mono<Void> revokeAllOf(TenantId tenant, UUID userId) {
        return db.sql("update refresh_tokens set revoked_at = now() where tenant_id = :tenant and user_id = :user and revoked_at is null")
                .bind("tenant", tenant.value())
                .bind("user", userId)
                .then();
    }

    private Mono<String> issue(TenantId tenant, UUID userId, UUID family) {
        String token = SecretTokens.random(PREFIX);
        return db.sql("""
                        insert into refresh_tokens (id, tenant_id, user_id, family_id, token_hash, expires_at)
                        values (:id, :tenant, :user, :family, :hash, now() + make_interval(secs => :ttl))
                        """)
                .bind("id", UUID.randomUUID())
                .bind("tenant", tenant.value())
                .bind("user", userId)
                .bind("family", family)
                .bind("hash", SecretTokens.hash(token))
                .bind("ttl", (double) ttl.toSeconds())
                .then()
                .thenReturn(token);
    }

    record Holder(TenantId tenantId, UUID userId, UUID familyId) {
    }
}
