package io.docqa.limits;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.stereotype.Component;
import io.docqa.tenant.Caller;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/**
 * The quotas a question draws on, taken before the model is called: one of the day's questions, and the most the answer
 * can generate ({@code reserve}, the model's output cap) from the month's completion tokens; what the answer did not
 * use is given back when it ends. So a question is refused once fewer tokens than that are left, and the month's
 * total never passes the limit, whichever instances answer.
 */
@Component
public class AnswerQuotas {

    private final QuotaLimits limits;
    private final QuestionAdmissions admissions;
    private final PeriodCounters counters;
    private final UsageLedger ledger;

    AnswerQuotas(QuotaLimits limits, QuestionAdmissions admissions, PeriodCounters counters, UsageLedger ledger) {
        this.limits = limits;
        this.admissions = admissions;
        this.counters = counters;
        this.ledger = ledger;
    }

    /**
     * Takes a question and reserves {@code reserve} completion tokens, or fails with {@code 429 quota_exceeded}: one
     * statement, and a second only to give the question back when the tokens are refused.
     */
    public Mono<Ticket> admit(TenantId tenant, long reserve) {
        Instant now = Instant.now();
        Instant day = Quota.DAILY_QUESTIONS.periodStart(now);
        Instant month = Quota.MONTHLY_COMPLETION_TOKENS.periodStart(now);
        return admissions.take(tenant, day, month, reserve, limits.defaultOf(Quota.DAILY_QUESTIONS),
                        limits.defaultOf(Quota.MONTHLY_COMPLETION_TOKENS))
                .flatMap(taken -> {
                    if (!taken.question()) {
                        return Mono.error(limits.exceeded(Quota.DAILY_QUESTIONS, taken.questionLimit()));
                    }
                    return taken.reserved() ? Mono.just(new Ticket(tenant, day, month, reserve))
                            : counters.add(tenant, Quota.DAILY_QUESTIONS, day, -1)
                                    .then(Mono.error(limits.exceeded(Quota.MONTHLY_COMPLETION_TOKENS, taken.tokenLimit())));
                });
    }

    /** What one admitted question holds; settled or refunded once. */
    public final class Ticket {

        private final TenantId tenant;
        private final Instant day;
        private final Instant month;
        private final long reserved;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Ticket(TenantId tenant, Instant day, Instant month, long reserved) {
            this.tenant = tenant;
            this.day = day;
            this.month = month;
            this.reserved = reserved;
        }

        /**
         * The answer ended having generated {@code completionTokens}: the rest of the reservation goes back (once) and
         * the answer is recorded in the usage ledger, in one statement.
         */
        public Mono<Void> settle(long completionTokens, Caller caller, UsageLedger.Answer answer) {
            return Mono.defer(() -> ledger.answered(caller, answer, closed.compareAndSet(false, true), month,
                    completionTokens - reserved));
        }

        /** The same settlement and record, to be run by another statement ({@link UsageLedger.Recording}). */
        public UsageLedger.Recording settling(long completionTokens, Caller caller, UsageLedger.Answer answer) {
            return new UsageLedger.Recording(caller, answer, closed.compareAndSet(false, true), month, completionTokens - reserved, null);
        }

        /** The question was refused after all (before any answer): the question and the reservation go back. */
        public Mono<Void> refund() {
            return Mono.defer(() -> closed.compareAndSet(false, true)
                    ? counters.add(tenant, Quota.MONTHLY_COMPLETION_TOKENS, month, -reserved)
                            .then(counters.add(tenant, Quota.DAILY_QUESTIONS, day, -1))
                    : Mono.empty());
        }
    }
}
