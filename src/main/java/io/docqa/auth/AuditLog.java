package io.docqa.auth;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/** The trail of security events of a tenant. */
@Component
class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    enum Event {
        SIGNUP, LOGIN_SUCCEEDED, LOGIN_FAILED, REFRESH_REUSED, LOGOUT, USER_CREATED, ROLE_CHANGED, USER_DISABLED,
        USER_ENABLED, USER_DELETED, API_KEY_CREATED, API_KEY_REVOKED, SSO_LOGIN_SUCCEEDED, SSO_LOGIN_FAILED
    }

    private final DatabaseClient db;

    AuditLog(DatabaseClient db) {
        this.db = db;
    }

    /** {@code tenant} is null for an event of no known tenant (a refused single sign-on). */
    Mono<Void> record(TenantId tenant, UUID actor, Event event, UUID subject, String detail) {
        log.debug("audit tenant={} actor={} event={} subject={} {}", tenant, actor, event, subject, detail == null ? "" : detail);
        return db.sql("insert into audit_events (tenant_id, actor_id, type, subject_id, detail) values (:tenant, :actor, :type, :subject, :detail)")
                .bind("tenant", Parameter.fromOrEmpty(tenant == null ? null : tenant.value(), UUID.class))
                .bind("actor", Parameter.fromOrEmpty(actor, UUID.class))
                .bind("type", event.name().toLowerCase())
                .bind("subject", Parameter.fromOrEmpty(subject, UUID.class))
                .bind("detail", Parameter.fromOrEmpty(detail, String.class))
                .then();
    }
}
