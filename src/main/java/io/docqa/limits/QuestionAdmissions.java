package io.docqa.limits;

import java.time.Instant;
import java.time.ZoneOffset;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/**
 * Takes one of the day's questions and reserves completion tokens of the month in one statement (one round trip): the
 * tenant's limits (the operator's overrides over the defaults) are read in it, and each counter is taken by a
 * conditional upsert, which PostgreSQL checks against the row's latest version under its lock, so instances sharing the
 * database never let more than a limit through together. The tokens are reserved only when the question was taken.
 */
@Repository
class QuestionAdmissions {

    private static final String SQL = """
            with limits as (
                select coalesce((select quota_limit from quota_overrides where tenant_id = :tenant and quota = 'daily_questions'),
                                :default_questions) as questions,
                       coalesce((select quota_limit from quota_overrides where tenant_id = :tenant and quota = 'monthly_completion_tokens'),
                                :default_tokens) as tokens
            ), question as (
                insert into quota_counters as c (tenant_id, quota, period_start, used)
                select :tenant, 'daily_questions', :day, 1 from limits where questions < 0 or questions >= 1
                on conflict (tenant_id, quota, period_start) do update set used = c.used + 1
                where (select questions from limits) < 0 or c.used + 1 <= (select questions from limits)
                returning used
            ), reserved as (
                insert into quota_counters as c (tenant_id, quota, period_start, used)
                select :tenant, 'monthly_completion_tokens', :month, :reserve from limits, question where tokens < 0 or :reserve <= tokens
                on conflict (tenant_id, quota, period_start) do update set used = c.used + excluded.used
                where (select tokens from limits) < 0 or c.used + excluded.used <= (select tokens from limits)
                returning used
            )
            select l.questions, l.tokens, exists (select from question) as question, exists (select from reserved) as reserved
            from limits l""";

    private final DatabaseClient db;

    QuestionAdmissions(DatabaseClient db) {
        this.db = db;
    }

    Mono<Taken> take(TenantId tenant, Instant day, Instant month, long reserve, long defaultQuestions, long defaultTokens) {
        return db.sql(SQL)
                .bind("tenant", tenant.value())
                .bind("day", day.atOffset(ZoneOffset.UTC))
                .bind("month", month.atOffset(ZoneOffset.UTC))
                .bind("reserve", reserve)
                .bind("default_questions", defaultQuestions)
                .bind("default_tokens", defaultTokens)
                .map(row -> new Taken(row.get("questions", Long.class), row.get("tokens", Long.class),
                        Boolean.TRUE.equals(row.get("question", Boolean.class)), Boolean.TRUE.equals(row.get("reserved", Boolean.class))))
                .one();
    }

    /** The tenant's two limits, and whether the question was taken and the tokens reserved. */
    record Taken(long questionLimit, long tokenLimit, boolean question, boolean reserved) {
    }
}
