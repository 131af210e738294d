package io.docqa.limits;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Flux;

/** The tenant's usage records over a period, summed per day, user or API key. */
@Repository
class UsageReport {

    private final DatabaseClient db;

    UsageReport(DatabaseClient db) {
        this.db = db;
    }

    Flux<Item> items(TenantId tenant, UsagePeriod period) {
        return db.sql("select " + period.groupBy().key() + """
                         as key,
                          count(*) filter (where kind = 'answer') as questions,
                          coalesce(sum(prompt_tokens) filter (where kind = 'answer'), 0) as prompt_tokens,
                          coalesce(sum(completion_tokens) filter (where kind = 'answer'), 0) as completion_tokens,
                          count(*) filter (where kind = 'ingestion') as documents,
                          coalesce(sum(bytes) filter (where kind = 'ingestion'), 0) as bytes,
                          coalesce(sum(chunks) filter (where kind = 'ingestion'), 0) as chunks
                        from usage_records
                        where tenant_id = :tenant and at >= :from and at < :to
                        group by 1 order by 1 nulls last""")
                .bind("tenant", tenant.value()).bind("from", at(period.from())).bind("to", at(period.to()))
                .map(row -> new Item(row.get("key", String.class), number(row.get("questions")), number(row.get("prompt_tokens")),
                        number(row.get("completion_tokens")), number(row.get("documents")), number(row.get("bytes")),
                        number(row.get("chunks"))))
                .all();
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** {@code key}: the day (UTC, {@code YYYY-MM-DD}), the user's id or the API key's id; null for the others' activity. */
    record Item(String key, long questions, long promptTokens, long completionTokens, long documents, long bytes, long chunks) {
    }
}
