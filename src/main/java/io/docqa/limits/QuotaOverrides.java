package io.docqa.limits;

import java.util.EnumMap;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/** The limits the operator set for one tenant, over the configured defaults. */
@Repository
class QuotaOverrides {

    private final DatabaseClient db;

    QuotaOverrides(DatabaseClient db) {
        this.db = db;
    }

    Mono<Map<Quota, Long>> of(TenantId tenant) {
        return db.sql("select quota, quota_limit from quota_overrides where tenant_id = :tenant")
                .bind("tenant", tenant.value())
                .map(row -> Map.entry(row.get("quota", String.class), row.get("quota_limit", Long.class)))
                .all()
                .collect(() -> new EnumMap<Quota, Long>(Quota.class),
                        (limits, entry) -> Quota.parse(entry.getKey()).ifPresent(quota -> limits.put(quota, entry.getValue())));
    }

    /** Sets the tenant's limit; false when there is no such tenant. */
    Mono<Boolean> set(TenantId tenant, Quota quota, long limit) {
        return db.sql("""
                        insert into quota_overrides (tenant_id, quota, quota_limit)
                        select id, :quota, :limit from tenants where id = :tenant
                        on conflict (tenant_id, quota) do update set quota_limit = excluded.quota_limit, updated_at = now()
                        returning quota_limit""")
                .bind("tenant", tenant.value()).bind("quota", quota.json()).bind("limit", limit)
                .map(row -> true).one().defaultIfEmpty(false);
    }

    Mono<Void> remove(TenantId tenant, Quota quota) {
        return db.sql("delete from quota_overrides where tenant_id = :tenant and quota = :quota")
                .bind("tenant", tenant.value()).bind("quota", quota.json())
                .then();
    }
}
