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
        return record(new Recording(caller, answer, settle, month, delta, null)).then();
    }

    /**
     * Runs {@code recording} alone (when the statement it was made for failed), unless that statement saved its
     * message after all (it failed after its commit): then nothing is written. Whether the message is saved.
     */
    public Mono<Boolean> record(Recording recording) {
        return recording.bind(db.sql("with " + recording.clauses() + " select exists (" + Recording.SAVED + ") as saved"))
                .map(row -> row.get("saved", Boolean.class))
                .one();
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
     * What {@link #answered} writes, as common table expressions ({@code ledger_settled}, {@code ledger_recorded}, their
     * parameters named {@code ledger_*}) that another statement runs with its own: an answer's message and its usage
     * commit together, in one round trip. Both write nothing when the answer's message ({@link #message}) exists
     * already: run again after a statement that committed, they cannot count the answer twice.
     */
    public static final class Recording {

        private static final String SAVED = "select 1 from messages where tenant_id = :ledger_tenant and id = :ledger_message";

        private static final String CLAUSES = """
                ledger_settled as (
                    insert into quota_counters (tenant_id, quota, period_start, used)
                    select :ledger_tenant, 'monthly_completion_tokens', :ledger_month, greatest(0, :ledger_delta)
                    where :ledger_settle and not exists (%1$s)
                    on conflict (tenant_id, quota, period_start) do update set used = greatest(0, quota_counters.used + :ledger_delta)
                ), ledger_recorded as (
                    insert into usage_records (tenant_id, kind, user_id, api_key_id, model, prompt_tokens, completion_tokens,
                                               duration_ms, outcome)
                    select :ledger_tenant, 'answer', :ledger_user, :ledger_key, :ledger_model, :ledger_prompt, :ledger_completion,
                           :ledger_duration, :ledger_outcome
                    where not exists (%1$s)
                )""".formatted(SAVED);

        private final Caller caller;
        private final Answer answer;
        private final boolean settle;
        private final Instant month;
        private final long delta;
        private final UUID message;

        Recording(Caller caller, Answer answer, boolean settle, Instant month, long delta, UUID message) {
            this.caller = caller;
            this.answer = answer;
            this.settle = settle;
            this.month = month;
            this.delta = delta;
            this.message = message;
        }

        /** The same, for the answer saved as message {@code id} (its statement may have committed before it failed). */
        public Recording of(UUID id) {
            return new Recording(caller, answer, settle, month, delta, id);
        }

        /** The same, for an answer that ended with {@code outcome} instead (the statement that saves it failed). */
        public Recording endedWith(String outcome) {
            return new Recording(caller, new Answer(answer.model(), answer.promptTokens(), answer.completionTokens(),
                    answer.duration(), outcome), settle, month, delta, message);
        }

        /** The two expressions, for after a statement's {@code with}. */
        public String clauses() {
            return CLAUSES;
        }

        public DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec statement) {
            return statement.bind("ledger_tenant", caller.tenantId().value())
                    .bind("ledger_settle", settle).bind("ledger_month", month.atOffset(ZoneOffset.UTC)).bind("ledger_delta", delta)
                    .bind("ledger_user", nullable(caller.userId())).bind("ledger_key", nullable(caller.apiKeyId()))
                    .bind("ledger_model", answer.model() == null ? io.r2dbc.spi.Parameters.in(String.class) : answer.model())
                    .bind("ledger_prompt", answer.promptTokens()).bind("ledger_completion", answer.completionTokens())
                    .bind("ledger_duration", answer.duration().toMillis()).bind("ledger_outcome", answer.outcome())
                    .bind("ledger_message", nullable(message));
        }
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
