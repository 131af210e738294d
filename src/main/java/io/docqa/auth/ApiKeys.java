package io.docqa.auth;

import java.time.OffsetDateTime;
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

/** API keys: {@code dq_} and 43 random characters, stored as SHA-256, revoked keys fail at once. */
@Repository
class ApiKeys {

    static final String PREFIX = "dq_";
    private static final int SHOWN_PREFIX_LENGTH = PREFIX.length() + 8;
    private static final String COLUMNS = "id, name, role, prefix, created_at, last_used_at";

    private final DatabaseClient db;

    ApiKeys(DatabaseClient db) {
        this.db = db;
    }

    Mono<CreatedKey> create(TenantId tenant, String name, Role role, UUID createdBy) {
        String secret = SecretTokens.random(PREFIX);
        return db.sql("insert into api_keys (id, tenant_id, name, role, prefix, key_hash, created_by) "
                        + "values (:id, :tenant, :name, :role, :prefix, :hash, :by) returning " + COLUMNS)
                .bind("id", UUID.randomUUID())
                .bind("tenant", tenant.value())
                .bind("name", name)
                .bind("role", role.json())
                .bind("prefix", secret.substring(0, SHOWN_PREFIX_LENGTH))
                .bind("hash", SecretTokens.hash(secret))
                .bind("by", Parameter.fromOrEmpty(createdBy, UUID.class))
                .map(ApiKeys::key)
                .one()
                .map(key -> new CreatedKey(key, secret));
    }

    Flux<ApiKey> list(TenantId tenant) {
        return db.sql("select " + COLUMNS + " from api_keys where tenant_id = :tenant and revoked_at is null order by created_at")
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

    /** The caller a live key stands for; marks it used (at most once a minute, to spare writes). */
    Mono<Caller> authenticate(String secret) {
        return db.sql("""
                        update api_keys set last_used_at = case
                            when last_used_at is null or last_used_at < now() - interval '1 minute' then now()
                            else last_used_at end
                        where key_hash = :hash and revoked_at is null
                        returning id, tenant_id, role
                        """)
                .bind("hash", SecretTokens.hash(secret))
                .map(row -> Caller.apiKey(new TenantId(row.get("tenant_id", UUID.class)), row.get("id", UUID.class),
                        Role.parse(row.get("role", String.class)).orElseThrow()))
                .one();
    }

    private static ApiKey key(Readable row) {
        OffsetDateTime lastUsed = row.get("last_used_at", OffsetDateTime.class);
        return new ApiKey(row.get("id", UUID.class), row.get("name", String.class),
                Role.parse(row.get("role", String.class)).orElseThrow(), row.get("prefix", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant(), lastUsed == null ? null : lastUsed.toInstant());
    }

    record CreatedKey(ApiKey key, String secret) {
    }
}
