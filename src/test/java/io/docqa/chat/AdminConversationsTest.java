package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** Admins and owners read every conversation of their tenant; each such read is in the audit trail. */
class AdminConversationsTest extends IntegrationTest {

    @Test
    void anAdminListsAndReadsEveryConversationOfTheTenantAndEachReadIsAudited() {
        Account owner = api.signup("Oversight");
        Account member = api.addUser(owner, "member");
        Account admin = api.addUser(owner, "admin");
        String members = ask(member, "What does the handbook say about holidays?");
        String admins = ask(admin, "What does the handbook say about sick leave?");

        JsonNode all = get(admin, "/api/v1/conversations?all=true").expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        List<String> ids = new ArrayList<>();
        all.get("items").forEach(item -> ids.add(item.get("id").asString()));
        assertThat(ids).containsExactlyInAnyOrder(members, admins);
        assertThat(all.get("total").asLong()).isEqualTo(2);
        all.get("items").forEach(item -> assertThat(item.get("owner_id").asString())
                .isIn(member.userId().toString(), admin.userId().toString()));

        get(admin, "/api/v1/conversations/" + members).expectStatus().isOk().expectBody()
                .jsonPath("$.owner_id").isEqualTo(member.userId().toString())
                .jsonPath("$.messages[0].content").isEqualTo("What does the handbook say about holidays?");
        get(admin, "/api/v1/conversations/" + admins).expectStatus().isOk();
        get(owner, "/api/v1/conversations/" + members).expectStatus().isOk();

        List<JsonNode> reads = audit(owner, "conversation_read");
        assertThat(reads).hasSize(2).allSatisfy(read -> {
            assertThat(read.get("target").get("type").asString()).isEqualTo("conversation");
            assertThat(read.get("target").get("id").asString()).isEqualTo(members);
            assertThat(read.get("details").get("owner_id").asString()).isEqualTo(member.userId().toString());
        });
        assertThat(reads).extracting(read -> read.get("actor").get("id").asString())
                .containsExactlyInAnyOrder(admin.userId().toString(), owner.userId().toString());
        assertThat(audit(owner, "conversations_listed")).hasSize(1);
    }

    @Test
    void aMemberSeesOnlyItsOwnAndNoTenantSeesAnothers() {
        Account owner = api.signup("Private talk");
        Account member = api.addUser(owner, "member");
        String owners = ask(owner, "Who approves travel?");
        String members = ask(member, "Who approves travel costs?");
        Account otherAdmin = api.signup("Elsewhere");

        get(member, "/api/v1/conversations?all=true").expectStatus().isForbidden();
        get(member, "/api/v1/conversations/" + owners).expectStatus().isNotFound();
        get(member, "/api/v1/conversations").expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(members);
        get(otherAdmin, "/api/v1/conversations/" + members).expectStatus().isNotFound();
        get(otherAdmin, "/api/v1/conversations?all=true").expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(0);
        get(owner, "/api/v1/conversations?all=maybe").expectStatus().isBadRequest();
        http.delete().uri("/api/v1/conversations/" + members).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isNotFound();
    }

    private String ask(Account who, String question) {
        return http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, who.bearer())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", question))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("conversation_id").asString();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec get(Account who, String path) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, who.bearer()).exchange();
    }

    private List<JsonNode> audit(Account who, String action) {
        List<JsonNode> events = new ArrayList<>();
        get(who, "/api/v1/audit-events?action=" + action).expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody().get("items").forEach(events::add);
        return events;
    }
}
