package io.docqa.tenant;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Reading a tenant's audit trail, newest first, a page after a keyset position; and the retention purge. */
@Repository
class AuditEvents {

    private final DatabaseClient db;
    private final JsonMapper json;

    AuditEvents(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    Flux<AuditEventView> page(TenantId tenant, AuditQuery query, int limit) {
        List<String> where = new ArrayList<>(List.of("tenant_id = :tenant"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("tenant", tenant.value());
        if (query.actorId() != null) {
            where.add("actor_id = :actor");
            values.put("actor", query.actorId());
        }
        if (query.actorEmail() != null) {
            where.add("lower(actor_email) = lower(:actor_email)");
            values.put("actor_email", query.actorEmail());
        }
        if (query.action() != null) {
            where.add("action = :action");
            values.put("action", query.action().json());
        }
        if (query.from() != null) {
            where.add("created_at >= :from");
            values.put("from", utc(query.from()));
        }
        if (query.to() != null) {
            where.add("created_at < :to");
            values.put("to", utc(query.to()));
        }
        if (query.after() != null) {
            where.add("(created_at, id) < (:after_at, :after_id)");
            values.put("after_at", utc(query.after().at()));
            values.put("after_id", query.after().id());
        }
        values.put("limit", limit);
        DatabaseClient.GenericExecuteSpec sql = db.sql("select id, created_at, actor_type, actor_id, actor_email, action, "
                + "target_type, target_id, client_ip, request_id, details::text as details from audit_events where "
                + String.join(" and ", where) + " order by created_at desc, id desc limit :limit");
        for (Map.Entry<String, Object> value : values.entrySet()) {
            sql = sql.bind(value.getKey(), value.getValue());
        }
        return sql.map(this::view).all();
    }

    /** Deletes up to {@code batch} events older than {@code cutoff}; rows another instance is deleting are skipped. */
    Mono<Long> purgeBatch(Instant cutoff, int batch) {
        return db.sql("delete from audit_events where id in (select id from audit_events where created_at < :cutoff "
                        + "order by created_at limit :batch for update skip locked)")
                .bind("cutoff", utc(cutoff))
                .bind("batch", batch)
                .fetch()
                .rowsUpdated();
    }

    private AuditEventView view(Readable row) {
        String targetType = row.get("target_type", String.class);
        return new AuditEventView(row.get("id", Long.class), row.get("created_at", OffsetDateTime.class).toInstant(),
                new AuditActor(row.get("actor_type", String.class), row.get("actor_id", String.class),
                        row.get("actor_email", String.class)),
                row.get("action", String.class),
                targetType == null ? null : new AuditTarget(targetType, row.get("target_id", String.class)),
                row.get("client_ip", String.class), row.get("request_id", String.class),
                json.readTree(row.get("details", String.class)));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
