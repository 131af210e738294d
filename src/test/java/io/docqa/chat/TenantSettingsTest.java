package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.ReceivedChat;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/tenant/settings}: who reads and changes them, their checks, and that every answer of the tenant uses them. */
class TenantSettingsTest extends IntegrationTest {

    private static final String OTHER_MODEL = "qwen2.5:7b";
    private static final String WORKSPACE_RULE = "Always end the answer with the word Ahoy.";

    @Test
    void aTenantStartsWithTheServiceDefaults() {
        Account owner = api.signup("Defaults");
        JsonNode settings = settings(api.addUser(owner, "viewer"));
        assertThat(settings.get("model").asString()).isEqualTo("llama3.2:3b");
        assertThat(settings.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(settings.get("instructions").isNull()).isTrue();
        assertThat(settings.get("default_top_k").asInt()).isEqualTo(4);
    }

    @Test
    void theSettingsReachTheModelOnBothChatProtocols() {
        Account owner = api.signup("Configured");
        for (String topic : new String[] { "orchids", "ferns", "cacti" }) {
            api.upload(owner, topic + ".txt", "The " + topic + " greenhouse is watered every Tuesday at seven by the gardener.");
        }
        OLLAMA.models("llama3.2:3b", OTHER_MODEL).answer("Watered", " on", " Tuesday.");

        JsonNode changed = patch(owner, Map.of("model", OTHER_MODEL, "temperature", 0.7, "instructions", WORKSPACE_RULE,
                "default_top_k", 1)).expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(changed.get("model").asString()).isEqualTo(OTHER_MODEL);
        assertThat(changed.get("default_top_k").asInt()).isEqualTo(1);

        JsonNode answer = ask(owner, Map.of("question", "When is the greenhouse watered?", "min_score", 0.0));
        assertThat(answer.get("sources").size()).isEqualTo(1);
        ReceivedChat request = OLLAMA.lastRequest();
        assertThat(request.model()).isEqualTo(OTHER_MODEL);
        assertThat(((Number) request.option("temperature")).doubleValue()).isEqualTo(0.7);
        String system = request.messages().get(0).content();
        assertThat(request.messages().get(0).role()).isEqualTo("system");
        assertThat(system).startsWith(PromptBuilder.INSTRUCTIONS).endsWith(WORKSPACE_RULE);
        assertThat(request.messages().subList(1, request.messages().size())).noneSatisfy(turn -> assertThat(turn.content()).contains(WORKSPACE_RULE));

        JsonNode asked = ask(owner, Map.of("question", "When is the greenhouse watered?", "min_score", 0.0, "top_k", 3));
        assertThat(asked.get("sources").size()).isEqualTo(3);

        String key = api.apiKey(owner, "viewer");
        http.post().uri("/v1/chat/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("model", "docqa", "messages", List.of(Map.of("role", "user", "content", "When is the cacti greenhouse watered?"))))
                .exchange().expectStatus().isOk();
        assertThat(OLLAMA.lastRequest().model()).isEqualTo(OTHER_MODEL);
        assertThat(OLLAMA.lastRequest().messages().get(0).content()).endsWith(WORKSPACE_RULE);

        patch(owner, Map.of("instructions", "")).expectStatus().isOk().expectBody().jsonPath("$.instructions").isEmpty();
        ask(owner, Map.of("question", "When is the greenhouse watered?", "min_score", 0.0));
        assertThat(OLLAMA.lastRequest().messages().get(0).content()).isEqualTo(PromptBuilder.INSTRUCTIONS);
    }

    @Test
    void aFollowUpUsesTheSettingsChangedSinceItsConversationStartedAndNeverAnotherTenants() {
        Account owner = api.signup("Followed up");
        Account other = api.signup("Other settings");
        api.upload(owner, "bells.txt", "The bell tower rings at noon and at six in the evening.");
        OLLAMA.models("llama3.2:3b", OTHER_MODEL).answer("At", " noon.");
        patch(other, Map.of("model", OTHER_MODEL, "instructions", WORKSPACE_RULE)).expectStatus().isOk();

        JsonNode first = ask(owner, Map.of("question", "When does the bell ring?", "min_score", 0.0));
        assertThat(OLLAMA.lastRequest().model()).isEqualTo("llama3.2:3b");
        assertThat(OLLAMA.lastRequest().messages().get(0).content()).isEqualTo(PromptBuilder.INSTRUCTIONS);

        patch(owner, Map.of("model", OTHER_MODEL)).expectStatus().isOk();
        ask(owner, Map.of("question", "And in the evening?", "conversation_id", first.get("conversation_id").asString(),
                "min_score", 0.0));
        ReceivedChat followUp = OLLAMA.lastRequest();
        assertThat(followUp.model()).isEqualTo(OTHER_MODEL);
        assertThat(followUp.messages()).extracting(ReceivedChat.Turn::role).containsExactly("system", "user", "assistant", "user");
        assertThat(followUp.messages().get(0).content()).isEqualTo(PromptBuilder.INSTRUCTIONS);
    }

    @Test
    void valuesOutsideTheAllowedRangesAreRefused() {
        Account owner = api.signup("Checked");
        for (Object[] bad : new Object[][] { { "model", "gpt-4o" }, { "temperature", 2.5 }, { "temperature", -0.1 },
                { "default_top_k", 0 }, { "default_top_k", 21 }, { "instructions", "x".repeat(2001) } }) {
            patch(owner, Map.of((String) bad[0], bad[1])).expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("validation_failed")
                    .jsonPath("$.errors[0].field").isEqualTo(bad[0]);
        }
        assertThat(settings(owner).get("model").asString()).isEqualTo("llama3.2:3b");
    }

    @Test
    void onlyAdminsChangeThemAndOnlyForTheirTenant() {
        Account a = api.signup("Settings A");
        Account member = api.addUser(a, "member");
        Account admin = api.addUser(a, "admin");
        Account b = api.signup("Settings B");

        patch(member, Map.of("temperature", 1.0)).expectStatus().isForbidden();
        patch(admin, Map.of("temperature", 1.0)).expectStatus().isOk();
        assertThat(settings(member).get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(settings(b).get("temperature").asDouble()).isEqualTo(0.2);
        http.put().uri("/api/v1/tenant/settings").header(HttpHeaders.AUTHORIZATION, admin.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isEqualTo(405);
    }

    private JsonNode settings(Account who) {
        return http.get().uri("/api/v1/tenant/settings").header(HttpHeaders.AUTHORIZATION, who.bearer()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec patch(Account who, Map<String, Object> change) {
        return http.patch().uri("/api/v1/tenant/settings").header(HttpHeaders.AUTHORIZATION, who.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(change).exchange();
    }

    private JsonNode ask(Account who, Map<String, Object> body) {
        return http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, who.bearer())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
