package io.docqa.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** The usage ledger: every answer and every indexed document is recorded, and {@code GET /api/v1/usage} sums them. */
class UsageTest extends IntegrationTest {

    private static final String FACT = "The orchid greenhouse is watered every Tuesday at seven.";
    private static final String QUESTION = "When is the orchid greenhouse watered?";

    @Test
    void usageIsSummedPerDayPerUserAndPerApiKey() {
        Account owner = api.signup("Metered");
        Account member = api.addUser(owner, "member");
        String key = api.apiKey(owner, "viewer");
        String keyId = http.get().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get(0).get("id").asString();
        String memberDoc = api.upload(member, "orchids.txt", FACT);
        String ownerDoc = api.upload(owner, "bees.txt", "Bees make honey from the nectar of flowers in the orchard.");
        OLLAMA.answer("On", " Tuesday", " [1]", ".");

        JsonNode first = ask(owner.bearer(), QUESTION);
        JsonNode second = ask(owner.bearer(), QUESTION);
        JsonNode third = ask("Bearer " + key, QUESTION);
        assertThat(OLLAMA.requests()).hasSize(3);
        long prompt = first.get("usage").get("prompt_tokens").asLong() + second.get("usage").get("prompt_tokens").asLong()
                + third.get("usage").get("prompt_tokens").asLong();
        assertThat(prompt).isPositive();
        long bytes = size(owner, memberDoc) + size(owner, ownerDoc);

        JsonNode byDay = usage(owner, "group_by=day");
        assertThat(byDay.get("group_by").asString()).isEqualTo("day");
        assertThat(byDay.get("items")).hasSize(1);
        JsonNode today = byDay.get("items").get(0);
        assertThat(today.get("key").asString()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(today.get("questions").asLong()).isEqualTo(3);
        assertThat(today.get("completion_tokens").asLong()).isEqualTo(12);
        assertThat(today.get("prompt_tokens").asLong()).isEqualTo(prompt);
        assertThat(today.get("documents").asLong()).isEqualTo(2);
        assertThat(today.get("bytes").asLong()).isEqualTo(bytes);
        assertThat(today.get("chunks").asLong()).isEqualTo(2);

        Map<String, JsonNode> byUser = byKey(usage(owner, "group_by=user"));
        assertThat(byUser).containsOnlyKeys(owner.userId().toString(), member.userId().toString(), "null");
        assertThat(byUser.get(owner.userId().toString()).get("questions").asLong()).isEqualTo(2);
        assertThat(byUser.get(owner.userId().toString()).get("documents").asLong()).isEqualTo(1);
        assertThat(byUser.get(member.userId().toString()).get("questions").asLong()).isZero();
        assertThat(byUser.get(member.userId().toString()).get("documents").asLong()).isEqualTo(1);
        assertThat(byUser.get("null").get("questions").asLong()).as("the API key's").isEqualTo(1);

        Map<String, JsonNode> byApiKey = byKey(usage(owner, "group_by=api_key"));
        assertThat(byApiKey).containsOnlyKeys(keyId, "null");
        assertThat(byApiKey.get(keyId).get("questions").asLong()).isEqualTo(1);
        assertThat(byApiKey.get(keyId).get("completion_tokens").asLong()).isEqualTo(4);
        assertThat(byApiKey.get("null").get("documents").asLong()).isEqualTo(2);

        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        assertThat(usage(owner, "from=" + yesterday + "&to=" + yesterday).get("items")).isEmpty();
    }

    @Test
    void eachAnswerIsRecordedWithItsModelDurationAndOutcome() {
        Account owner = api.signup("Ledger");
        api.upload(owner, "orchids.txt", FACT);
        OLLAMA.answer("On", " Tuesday");
        ask(owner.bearer(), QUESTION);
        http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, owner.bearer()).accept(MediaType.APPLICATION_JSON)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("question", "How do I reset the router?", "min_score", 0.99))
                .exchange().expectStatus().isOk();

        var rows = db.sql("select model, outcome, completion_tokens, duration_ms, user_id from usage_records "
                        + "where tenant_id = :tenant and kind = 'answer' order by id")
                .bind("tenant", owner.tenantId())
                .map(row -> new Object[] { row.get("model", String.class), row.get("outcome", String.class),
                        row.get("completion_tokens", Integer.class), row.get("duration_ms", Long.class), row.get("user_id", UUID.class) })
                .all().collectList().block();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly("llama3.2:3b", "stop", 2, rows.get(0)[3], owner.userId());
        assertThat((Long) rows.get(0)[3]).isNotNegative();
        assertThat(rows.get(1)[0]).as("no model was asked").isNull();
        assertThat(rows.get(1)[1]).isEqualTo("not_covered");
    }

    @Test
    void onlyAdminsAndOwnersReadUsage() {
        Account owner = api.signup("Roles");
        for (String role : new String[] { "viewer", "member" }) {
            http.get().uri("/api/v1/usage").header(HttpHeaders.AUTHORIZATION, api.addUser(owner, role).bearer()).exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        }
        http.get().uri("/api/v1/usage").header(HttpHeaders.AUTHORIZATION, "Bearer " + api.apiKey(owner, "member")).exchange()
                .expectStatus().isForbidden();
        usage(api.addUser(owner, "admin"), "group_by=user");
        usage(owner, "");
        http.get().uri("/api/v1/usage").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void badParametersAreRefused() {
        Account owner = api.signup("Params");
        Map<String, String> bad = Map.of(
                "group_by=week", "group_by",
                "from=yesterday", "from",
                "to=2026-13-01", "to",
                "from=2026-12-10&to=2026-12-01", "from",
                "from=1900-01-01&to=1900-01-02", "from",
                "from=2020-01-01&to=2026-01-01", "from",
                "from=2026-01-01T00:00:00", "from");
        bad.forEach((query, field) -> http.get().uri("/api/v1/usage?" + query).header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.errors[0].field").isEqualTo(field));
        JsonNode instants = usage(owner, "from=2026-01-01T00:00:00Z&to=2026-01-02T12:00:00Z&group_by=api_key");
        assertThat(instants.get("from").asString()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(instants.get("to").asString()).isEqualTo("2026-01-02T12:00:00Z");
        assertThat(usage(owner, "from=2026-01-01&to=2026-01-01").get("to").asString()).isEqualTo("2026-01-02T00:00:00Z");
    }

    @Test
    void aTenantSeesOnlyItsOwnUsage() {
        Account a = api.signup("Usage A");
        Account b = api.signup("Usage B");
        api.upload(a, "orchids.txt", FACT);
        OLLAMA.answer("ok");
        ask(a.bearer(), QUESTION);

        assertThat(usage(a, "group_by=user").get("items")).hasSize(1);
        assertThat(usage(b, "group_by=user").get("items")).isEmpty();
        assertThat(usage(b, "group_by=day&tenant_id=" + a.tenantId()).get("items")).isEmpty();
        http.get().uri("/api/v1/usage").header(HttpHeaders.AUTHORIZATION, b.bearer()).header("X-Tenant-Id", a.tenantId().toString())
                .exchange().expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    private JsonNode ask(String bearer, String question) {
        return http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, bearer).accept(MediaType.APPLICATION_JSON)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("question", question))
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode usage(Account account, String query) {
        WebTestClient.ResponseSpec response = http.get().uri("/api/v1/usage?" + query)
                .header(HttpHeaders.AUTHORIZATION, account.bearer()).exchange();
        return response.expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private long size(Account account, String documentId) {
        return http.get().uri("/api/v1/documents/{id}", documentId).header(HttpHeaders.AUTHORIZATION, account.bearer()).exchange()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("size_bytes").asLong();
    }

    private static Map<String, JsonNode> byKey(JsonNode usage) {
        Map<String, JsonNode> items = new HashMap<>();
        usage.get("items").forEach(item -> items.put(item.get("key").isNull() ? "null" : item.get("key").asString(), item));
        return items;
    }
}
