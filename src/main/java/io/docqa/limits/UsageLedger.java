package io.docqa.limits;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import io.docqa.tenant.Caller;
import reactor.core.publisher.Mono;

/** Records what each answer and each indexed document used, per tenant and per user or API key. */
@Repository
public class UsageLedger {

    private final DatabaseClient db;

    UsageLedger(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Records an answer and, when {@code settle}, gives {@code delta} (what its reservation did not use, negative) to
     * the month's completion tokens of {@code month}, never below zero: one statement, one round trip.
     */
    Mono<Void> answered(Caller caller, Answer answer, boolean settle, Instant month, long delta) {
        return db.sql("""
                        with settled as (
                            insert into quota_counters (tenant_id, quota, period_start, used)
                            select :tenant, 'monthly_completion_tokens', :month, greatest(0, :delta) where :settle
                            on conflict (tenant_id, quota, period_start) do update set used = greatest(0, quota_counters.used + :delta)
                        )
                        insert into usage_records (tenant_id, kind, user_id, api_key_id, model, prompt_tokens, completion_tokens,
                                                   duration_ms, outcome)
                        values (:tenant, 'answer', :user, :key, :model, :prompt, :completion, :duration, :outcome)""")
                .bind("tenant", caller.tenantId().value())
                .bind("settle", settle).bind("month", month.atOffset(ZoneOffset.UTC)).bind("delta", delta)
                .bind("user", nullable(caller.userId())).bind("key", nullable(caller.apiKeyId()))
                .bind("model", answer.model() == null ? io.r2dbc.spi.Parameters.in(String.class) : answer.model())
                .bind("prompt", answer.promptTokens()).bind("completion", answer.completionTokens())
                .bind("duration", answer.duration().toMillis()).bind("outcome", answer.outcome())
                .then();
    }

    public Mono<Void> ingested(Caller caller, Ingestion ingestion) {
        return db.sql("""
                        insert into usage_records (tenant_id, kind, user_id, api_key_id, document_id, bytes, chunks, embed_ms)
                        values (:tenant, 'ingestion', :user, :key, :document, :bytes, :chunks, :embed)""")
                .bind("tenant", caller.tenantId().value())
                .bind("user", nullable(caller.userId())).bind("key", nullable(caller.apiKeyId()))
                .bind("document", ingestion.documentId()).bind("bytes", ingestion.bytes()).bind("chunks", ingestion.chunks())
                .bind("embed", ingestion.embedTime().toMillis())
                .then();
    }

    private static Object nullable(UUID id) {
        return id == null ? io.r2dbc.spi.Parameters.in(UUID.class) : id;
    }

    /**
     * One answer: the model ({@code null} when none was asked), Ollama's token counts, the time from admission to its
     * end, and its outcome: the finish reason, or the code of the error it ended with.
     */
    public record Answer(String model, int promptTokens, int completionTokens, Duration duration, String outcome) {
    }

    /** One indexed document: its bytes and chunks, and the time its embedding batches took (summed). */
    public record Ingestion(UUID documentId, long bytes, long chunks, Duration embedTime) {
    }
}
