package io.docqa.auth;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import io.docqa.tenant.Role;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Users. Every query but the sign-in lookup by email is scoped by tenant. */
@Repository
class Users {

    private static final String COLUMNS = "id, tenant_id, email, password_hash, role, disabled, created_at";

    private final DatabaseClient db;

    Users(DatabaseClient db) {
        this.db = db;
    }

    /** {@code passwordHash} is null for an account made by a single sign-on: no password matches it. */
    Mono<User> create(TenantId tenant, String email, String passwordHash, Role role) {
        return db.sql("insert into users (id, tenant_id, email, password_hash, role) values (:id, :tenant, :email, :hash, :role) returning " + COLUMNS)
                .bind("id", UUID.randomUUID())
                .bind("tenant", tenant.value())
                .bind("email", email)
                .bind("hash", Parameter.fromOrEmpty(passwordHash, String.class))
                .bind("role", role.json())
                .map(Users::user)
                .one();
    }

    /** The one query not scoped by tenant: sign-in knows only the email, which is unique across the service. */
    Mono<User> findByEmail(String email) {
        return db.sql("select " + COLUMNS + " from users where lower(email) = lower(:email)")
                .bind("email", email)
                .map(Users::user)
                .one();
    }

    Mono<User> find(TenantId tenant, UUID id) {
        return db.sql("select " + COLUMNS + " from users where tenant_id = :tenant and id = :id")
                .bind("tenant", tenant.value())
                .bind("id", id)
                .map(Users::user)
                .one();
    }

    Flux<User> list(TenantId tenant) {
        return db.sql("select " + COLUMNS + " from users where tenant_id = :tenant order by created_at, email")
                .bind("tenant", tenant.value())
                .map(Users::user)
                .all();
    }

    Mono<User> update(TenantId tenant, UUID id, Role role, boolean disabled) {
        return db.sql("update users set role = :role, disabled = :disabled where tenant_id = :tenant and id = :id returning " + COLUMNS)
                .bind("tenant", tenant.value())
                .bind("id", id)
                .bind("role", role.json())
                .bind("disabled", disabled)
                .map(Users::user)
                .one();
    }

    Mono<Long> delete(TenantId tenant, UUID id) {
        return db.sql("delete from users where tenant_id = :tenant and id = :id")
                .bind("tenant", tenant.value())
                .bind("id", id)
                .fetch()
                .rowsUpdated();
    }

    /** Active owners other than {@code except}. */
    Mono<Long> countOtherActiveOwners(TenantId tenant, UUID except) {
        return db.sql("select count(*) as n from users where tenant_id = :tenant and role = 'owner' and not disabled and id <> :id")
                .bind("tenant", tenant.value())
                .bind("id", except)
                .map(row -> row.get("n", Long.class))
                .one();
    }

    private static User user(Readable row) {
        return new User(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("email", String.class), row.get("password_hash", String.class),
                Role.parse(row.get("role", String.class)).orElseThrow(), Boolean.TRUE.equals(row.get("disabled", Boolean.class)),
                row.get("created_at", OffsetDateTime.class).toInstant());
    }
}
