package io.docqa.limits;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/**
 * What a tenant used of a quota in one period, in PostgreSQL. Taking is {@link QuestionAdmissions}' one conditional
 * statement; this gives back and reads.
 */
@Repository
class PeriodCounters {

    private final DatabaseClient db;

    PeriodCounters(DatabaseClient db) {
        this.db = db;
    }

    /** Adds {@code delta} (negative: gives back), never below zero. */
    Mono<Void> add(TenantId tenant, Quota quota, Instant period, long delta) {
        return db.sql("""
                        insert into quota_counters (tenant_id, quota, period_start, used)
                        values (:tenant, :quota, :period, greatest(0, :delta))
                        on conflict (tenant_id, quota, period_start) do update set used = greatest(0, quota_counters.used + :delta)""")
                .bind("tenant", tenant.value()).bind("quota", quota.json()).bind("period", at(period)).bind("delta", delta)
                .then();
    }

    Mono<Long> used(TenantId tenant, Quota quota, Instant period) {
        return db.sql("select used from quota_counters where tenant_id = :tenant and quota = :quota and period_start = :period")
                .bind("tenant", tenant.value()).bind("quota", quota.json()).bind("period", at(period))
                .map(row -> row.get("used", Long.class))
                .one()
                .defaultIfEmpty(0L);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
