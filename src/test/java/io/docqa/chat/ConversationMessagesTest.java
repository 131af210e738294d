package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.tenant.TenantId;

/** A question or an answer is added only to a conversation of the tenant named with it, by the statement itself. */
class ConversationMessagesTest extends IntegrationTest {

    @Autowired
    Conversations conversations;

    @Test
    void anotherTenantsConversationGetsNoMessage() {
        Account a = api.signup("Messages A");
        Account b = api.signup("Messages B");
        UUID conversation = UUID.randomUUID();
        db.sql("insert into conversations (id, tenant_id, owner_id, title) values (:id, :tenant, :owner, 'mine')")
                .bind("id", conversation).bind("tenant", a.tenantId()).bind("owner", a.userId())
                .then().block(Duration.ofSeconds(10));
        TenantId other = new TenantId(b.tenantId());

        conversations.ask(other, conversation, "Whose is this?").block(Duration.ofSeconds(10));
        Boolean added = conversations.add(other, conversation, UUID.randomUUID(),
                new Conversations.NewMessage("assistant", "Mine now.", List.of(), 1, 2, "stop"), null).block(Duration.ofSeconds(10));

        assertThat(added).isFalse();
        assertThat(db.sql("select count(*) as n from messages where conversation_id = :id").bind("id", conversation)
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10))).isZero();
        // the tenant's own conversation does get them: the check above can fail
        conversations.ask(new TenantId(a.tenantId()), conversation, "Mine?").block(Duration.ofSeconds(10));
        assertThat(conversations.add(new TenantId(a.tenantId()), conversation, UUID.randomUUID(),
                new Conversations.NewMessage("assistant", "Yours.", List.of(), 1, 2, "stop"), null).block(Duration.ofSeconds(10))).isTrue();
        assertThat(db.sql("select count(*) as n from messages where conversation_id = :id").bind("id", conversation)
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10))).isEqualTo(2);
    }
}
