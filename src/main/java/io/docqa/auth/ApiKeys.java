package io.docqa.auth;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import io.docqa.tenant.Caller;
import io.docqa.tenant.Role;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * API keys: {@code dq_} and 43 random characters, stored as SHA-256, revoked or expired keys fail at once. A key acts
 * with the lower of its own role and its maker's current role, and only while its maker is an enabled user.
 */
@Repository
class ApiKeys {

    static final String PREFIX = "dq_";
    private static final int SHOWN_PREFIX_LENGTH = PREFIX.length() + 8;
    private static final String COLUMNS = "id, name, role, prefix, created_by, created_at, last_used_at, expires_at";
    private static final String LIVE = "revoked_at is null and (expires_at is null or expires_at > now())";

    private final DatabaseClient db;

    ApiKeys(DatabaseClient db) {
        this.db = db;
    }

    Mono<CreatedKey> create(TenantId tenant, String name, Role role, UUID createdBy, Instant expiresAt) {
        String secret = SecretTokens.random(PREFIX);
        return db.sql("insert into api_keys (id, tenant_id, name, role, prefix, key_hash, created_by, expires_at) "
                        + "values (:id, :tenant, :name, :role, :prefix, :hash, :by, :expires) returning " + COLUMNS)
                .bind("id", UUID.randomUUID())
                .bind("tenant", tenant.value())
                .bind("name", name)
                .bind("role", role.json())
                .bind("prefix", secret.substring(0, SHOWN_PREFIX_LENGTH))
                .bind("hash", SecretTokens.hash(secret))
                .bind("by", createdBy)
                .bind("expires", Parameter.fromOrEmpty(expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC), OffsetDateTime.class))
                .map(ApiKeys::key)
                .one()
                .map(key -> new CreatedKey(key, secret));
    }

    Flux<ApiKey> list(TenantId tenant) {
        return db.sql("select " + COLUMNS + " from api_keys where tenant_id = :tenant and " + LIVE + " order by created_at")
                .bind("tenant", tenant.value())
                .map(ApiKeys::key)
                .all();
    }

    Mono<Long> revoke(TenantId tenant, UUID id) {
        return db.sql("update api_keys set revoked_at = now() where tenant_id = :tenant and id = :id and revoked_at is null")
                .bind("tenant", tenant.value())
                .bind("id", id)
                .fetch()
                .rowsUpdated();
    }

    /** Revokes every key a user made: a deleted user's keys stop with them. */
    Mono<Long> revokeMadeBy(TenantId tenant, UUID userId) {
        return db.sql("update api_keys set revoked_at = now() where tenant_id = :tenant and created_by = :user and revoked_at is null")
                .bind("tenant", tenant.value())
                .bind("user", userId)
                .fetch()
                .rowsUpdated();
    }

    /** The user whose role caps a live key of the tenant. */
    Mono<UUID> makerOf(TenantId tenant, UUID keyId) {
        return db.sql("select created_by from api_keys where tenant_id = :tenant and id = :id and created_by is not null")
                .bind("tenant", tenant.value())
                .bind("id", keyId)
                .map(row -> row.get("created_by", UUID.class))
                .one();
    }

    /**
     * The caller a live key stands for, with the lower of the key's role and its maker's current one; empty when the
     * maker is gone or disabled. Marks the key used (at most once a minute, to spare writes).
     */
    Mono<CallerCache.Found> authenticate(String secret) {
        return db.sql("""
                        update api_keys k set last_used_at = case
                            when k.last_used_at is null or k.last_used_at < now() - interval '1 minute' then now()
                            else k.last_used_at end
                        from users u
                        where k.key_hash = :hash and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
                          and u.id = k.created_by and u.tenant_id = k.tenant_id and not u.disabled
                        returning k.id, k.tenant_id, k.role, u.role as maker_role, k.expires_at
                        """)
                .bind("hash", SecretTokens.hash(secret))
                .map(row -> new CallerCache.Found(Caller.apiKey(new TenantId(row.get("tenant_id", UUID.class)), row.get("id", UUID.class),
                        lower(role(row, "role"), role(row, "maker_role"))), instant(row, "expires_at")))
                .one();
    }

    private static Role lower(Role one, Role other) {
        return one.isAtLeast(other) ? other : one;
    }

    private static Role role(Readable row, String column) {
        return Role.parse(row.get(column, String.class)).orElseThrow();
    }

    private static ApiKey key(Readable row) {
        return new ApiKey(row.get("id", UUID.class), row.get("name", String.class), role(row, "role"),
                row.get("prefix", String.class), row.get("created_by", UUID.class),
                row.get("created_at", OffsetDateTime.class).toInstant(), instant(row, "last_used_at"), instant(row, "expires_at"));
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    record CreatedKey(ApiKey key, String secret) {

        @Override
        public String toString() {
            return "CreatedKey[key=" + key + ", secret=" + Secrets.HIDDEN + "]";
        }
    }
}
