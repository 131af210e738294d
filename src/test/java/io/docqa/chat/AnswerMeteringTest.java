package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import io.docqa.limits.AnswerQuotas;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.LogLines;
import io.docqa.tenant.Caller;
import io.docqa.tenant.Role;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The statement that saves an answer with its usage fails: the answer is counted once, whether it committed or not. */
@ExtendWith(OutputCaptureExtension.class)
class AnswerMeteringTest extends IntegrationTest {

    private static final long RESERVED = 100;

    @Autowired
    AnswerMetering metering;

    @Autowired
    AnswerQuotas quotas;

    @Autowired
    Conversations conversations;

    @Test
    void aStatementThatFailsAfterItsCommitSavesTheAnswerAndCountsItOnce() {
        Question question = question("Committed");
        UUID id = UUID.randomUUID();

        StepVerifier.create(question.meter().ending(id, new ChatEvent.Usage(3, 5), "stop", recording ->
                        conversations.add(question.tenant(), question.conversation(), id, answer(), recording)
                                .then(Mono.error(new IllegalStateException("connection closed after the commit")))))
                .expectNext(true)
                .verifyComplete();

        assertThat(outcomes(question.tenant())).containsExactly("stop");
        assertThat(assistantMessages(question.conversation())).containsExactly(id);
        assertThat(used(question.tenant())).isEqualTo(question.usedBefore() + 5);
    }

    @Test
    void aStatementThatFailsBeforeItsCommitRecordsTheUsageAloneWithTheErrorsCode() {
        Question question = question("Rolled back");

        StepVerifier.create(question.meter().ending(UUID.randomUUID(), new ChatEvent.Usage(3, 5), "stop", recording -> {
                    throw new IllegalStateException("the statement cannot be built");
                }))
                .expectErrorMessage("the statement cannot be built")
                .verify(Duration.ofSeconds(10));

        assertThat(outcomes(question.tenant())).containsExactly("internal_error");
        assertThat(assistantMessages(question.conversation())).isEmpty();
        assertThat(used(question.tenant())).isEqualTo(question.usedBefore() + 5);
    }

    @Test
    void aStatementThatFailsWhenItsClientIsGoneIsLoggedAndTheUsageRecorded(CapturedOutput output) {
        Question question = question("Failed unseen");
        Sinks.Empty<Void> started = Sinks.empty();

        question.meter().ending(UUID.randomUUID(), new ChatEvent.Usage(3, 5), "stop",
                        recording -> started.asMono().then(Mono.<Boolean>error(new IllegalStateException("the database went away"))))
                .subscribe().dispose();
        started.tryEmitEmpty();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(LogLines.of(output)).anySatisfy(line -> {
            assertThat(line.at("/log/level").asString()).isEqualTo("WARN");
            assertThat(line.path("message").asString()).isEqualTo(
                    "Could not save an answer: java.lang.IllegalStateException: the database went away");
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes(question.tenant()), hasSize(1));
        assertThat(outcomes(question.tenant())).containsExactly("internal_error");
        assertThat(used(question.tenant())).isEqualTo(question.usedBefore() + 5);
    }

    @Test
    void aClientGoneFirstHasTheAnswerSavedAsCancelledAndTheEndSavesNothing() {
        Question question = question("Gone first");

        assertThat(question.meter().savesCancelled()).isTrue();
        StepVerifier.create(question.meter().ending(UUID.randomUUID(), new ChatEvent.Usage(3, 5), "stop",
                        recording -> Mono.error(new AssertionError("saved twice"))))
                .verifyComplete();
        assertThat(question.meter().savesCancelled()).isFalse();
    }

    /** An admitted question of a new tenant, in a conversation of its own, metered; nothing recorded yet. */
    private Question question(String name) {
        Account owner = api.signup(name);
        TenantId tenant = new TenantId(owner.tenantId());
        Caller caller = Caller.user(tenant, owner.userId(), Role.OWNER);
        UUID conversation = UUID.randomUUID();
        db.sql("insert into conversations (id, tenant_id, owner_id, title) values (:id, :tenant, :owner, 'metered')")
                .bind("id", conversation).bind("tenant", tenant.value()).bind("owner", owner.userId())
                .then().block(Duration.ofSeconds(10));
        long before = used(tenant);
        AnswerQuotas.Ticket ticket = quotas.admit(tenant, RESERVED).block(Duration.ofSeconds(10));
        assertThat(used(tenant)).isEqualTo(before + RESERVED);
        return new Question(tenant, conversation, metering.start(caller, ticket, System.nanoTime()), before);
    }

    private static Conversations.NewMessage answer() {
        return new Conversations.NewMessage("assistant", "The answer [1].", List.of(), 3, 5, "stop");
    }

    private List<String> outcomes(TenantId tenant) {
        return db.sql("select outcome from usage_records where tenant_id = :tenant and kind = 'answer'")
                .bind("tenant", tenant.value())
                .map(row -> row.get("outcome", String.class))
                .all().collectList().block(Duration.ofSeconds(10));
    }

    private List<UUID> assistantMessages(UUID conversation) {
        return db.sql("select id from messages where conversation_id = :conversation and role = 'assistant'")
                .bind("conversation", conversation)
                .map(row -> row.get("id", UUID.class))
                .all().collectList().block(Duration.ofSeconds(10));
    }

    private long used(TenantId tenant) {
        return db.sql("select coalesce(sum(used), 0) as used from quota_counters where tenant_id = :tenant and quota = 'monthly_completion_tokens'")
                .bind("tenant", tenant.value())
                .map(row -> row.get("used", Number.class).longValue())
                .one().block(Duration.ofSeconds(10));
    }

    private record Question(TenantId tenant, UUID conversation, AnswerMetering.Meter meter, long usedBefore) {
    }
}
