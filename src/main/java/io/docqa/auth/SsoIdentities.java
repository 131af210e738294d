package io.docqa.auth;

import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/** Which docqa user a provider's subject is. Looked up by (provider, subject) alone: that pair names one person. */
@Repository
class SsoIdentities {

    private final DatabaseClient db;

    SsoIdentities(DatabaseClient db) {
        this.db = db;
    }

    Mono<Linked> find(String provider, String subject) {
        return db.sql("select tenant_id, user_id from sso_identities where provider = :provider and subject = :subject")
                .bind("provider", provider)
                .bind("subject", subject)
                .map(row -> new Linked(new TenantId(row.get("tenant_id", UUID.class)), row.get("user_id", UUID.class)))
                .one();
    }

    Mono<Void> link(String provider, String subject, TenantId tenant, UUID user) {
        return db.sql("insert into sso_identities (provider, subject, tenant_id, user_id) values (:provider, :subject, :tenant, :user)")
                .bind("provider", provider)
                .bind("subject", subject)
                .bind("tenant", tenant.value())
                .bind("user", user)
                .then();
    }

    record Linked(TenantId tenantId, UUID userId) {
    }
}
