package io.docqa.tenant;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class Tenants {

    private final DatabaseClient db;

    Tenants(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Tenant> create(String name) {
        TenantId id = TenantId.random();
        return db.sql("insert into tenants (id, name) values (:id, :name) returning created_at")
                .bind("id", id.value())
                .bind("name", name)
                .map(row -> new Tenant(id, name, row.get("created_at", OffsetDateTime.class).toInstant()))
                .one();
    }

    public Mono<Tenant> find(TenantId id) {
        return db.sql("select name, created_at from tenants where id = :id")
                .bind("id", id.value())
                .map(row -> new Tenant(id, row.get("name", String.class),
                        row.get("created_at", OffsetDateTime.class).toInstant()))
                .one();
    }

    /** Takes the tenant's row lock until the surrounding transaction ends; used to serialise owner changes. */
    public Mono<Void> lock(TenantId id) {
        return db.sql("select id from tenants where id = :id for update")
                .bind("id", id.value())
                .map(row -> row.get("id", UUID.class))
                .one()
                .then();
    }

    Mono<Long> delete(TenantId id) {
        return db.sql("delete from tenants where id = :id").bind("id", id.value()).fetch().rowsUpdated();
    }

}
