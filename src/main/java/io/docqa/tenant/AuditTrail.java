package io.docqa.tenant;

import java.util.Map;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import io.docqa.web.RequestFacts;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records security events. The client address and the request id come from the request's Reactor context; an event
 * recorded inside a transaction commits or rolls back with it. Entries are never changed (a trigger refuses updates)
 * and leave only with their tenant or by {@link AuditRetention}.
 */
@Component
public class AuditTrail {

    private final DatabaseClient db;
    private final JsonMapper json;

    AuditTrail(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** An event of {@code tenant}'s trail; {@code target} and {@code details} may be null. */
    public Mono<Void> record(TenantId tenant, AuditActor actor, AuditAction action, AuditTarget target, Map<String, ?> details) {
        return insert(tenant.value(), actor, action, target, details);
    }

    /**
     * An event of no tenant's trail, for operators only (read in the database): a failed login naming no account, a
     * deleted tenant (whose own trail goes with it).
     */
    public Mono<Void> recordOutsideTenants(AuditActor actor, AuditAction action, AuditTarget target, Map<String, ?> details) {
        return insert(null, actor, action, target, details);
    }

    private Mono<Void> insert(UUID tenant, AuditActor actor, AuditAction action, AuditTarget target, Map<String, ?> details) {
        return Mono.deferContextual(context -> insert(tenant, actor, action, target, details, RequestFacts.in(context)));
    }

    private Mono<Void> insert(UUID tenant, AuditActor actor, AuditAction action, AuditTarget target, Map<String, ?> details,
            RequestFacts request) {
        return db.sql("""
                        insert into audit_events (tenant_id, actor_type, actor_id, actor_email, action, target_type, target_id,
                                                  client_ip, request_id, details)
                        values (:tenant, :actor_type, :actor_id,
                                coalesce(:actor_email, (select email from users where id = :actor_user),
                                         (select u.email from api_keys k join users u on u.id = k.created_by where k.id = :actor_key)),
                                :action, :target_type, :target_id, :client_ip, :request_id, cast(:details as jsonb))
                        """)
                .bind("tenant", Parameter.fromOrEmpty(tenant, UUID.class))
                .bind("actor_type", actor.type())
                .bind("actor_id", Parameter.fromOrEmpty(actor.id(), String.class))
                .bind("actor_email", Parameter.fromOrEmpty(actor.email(), String.class))
                .bind("actor_user", Parameter.fromOrEmpty(actor.userId(), UUID.class))
                .bind("actor_key", Parameter.fromOrEmpty(actor.apiKeyId(), UUID.class))
                .bind("action", action.json())
                .bind("target_type", Parameter.fromOrEmpty(target == null ? null : target.type(), String.class))
                .bind("target_id", Parameter.fromOrEmpty(target == null ? null : target.id(), String.class))
                .bind("client_ip", Parameter.fromOrEmpty(request == null ? null : request.clientAddress(), String.class))
                .bind("request_id", Parameter.fromOrEmpty(request == null ? null : request.requestId(), String.class))
                .bind("details", json.writeValueAsString(details == null ? Map.of() : details))
                .then();
    }
}
