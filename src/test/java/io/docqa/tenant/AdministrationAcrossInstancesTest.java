package io.docqa.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.ServiceInstance;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** Two instances on one database: a settings change on one reaches the next answer on the other; both purge at once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdministrationAcrossInstancesTest extends IntegrationTest {

    @Autowired
    ConfigurableEnvironment shared;

    @Autowired
    AuditRetention retention;

    ServiceInstance other;

    @BeforeAll
    void startAnotherInstance() {
        other = ServiceInstance.startLike(shared, Map.of());
    }

    @AfterAll
    void stopIt() {
        other.close();
    }

    @Test
    void aSettingsChangeOnOneInstanceIsUsedByTheNextAnswerOnTheOther() {
        Account owner = api.signup("Two instances");
        api.upload(owner, "bells.txt", "The bell tower rings at noon and at six in the evening.");
        OLLAMA.models("llama3.2:3b", "qwen2.5:7b").answer("At", " noon.");
        WebTestClient second = other.http();

        ask(second, owner);
        assertThat(OLLAMA.lastRequest().model()).isEqualTo("llama3.2:3b");

        http.patch().uri("/api/v1/tenant/settings").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("model", "qwen2.5:7b")).exchange().expectStatus().isOk();
        ask(second, owner);
        assertThat(OLLAMA.lastRequest().model()).isEqualTo("qwen2.5:7b");

        second.patch().uri("/api/v1/tenant/settings").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("model", "llama3.2:3b")).exchange().expectStatus().isOk();
        ask(http, owner);
        assertThat(OLLAMA.lastRequest().model()).isEqualTo("llama3.2:3b");
    }

    @Test
    void bothInstancesPurgeAtOnceAndTogetherLeaveNothingOld() {
        Account owner = api.signup("Purged twice");
        db.sql("insert into audit_events (tenant_id, actor_type, action, created_at) select :t, 'anonymous', 'login_failed', "
                        + "now() - interval '400 days' - g * interval '1 second' from generate_series(1, 3000) g")
                .bind("t", owner.tenantId()).fetch().rowsUpdated()
                .as(StepVerifier::create).expectNext(3000L).verifyComplete();

        Mono.zip(retention.purge(), other.bean(AuditRetention.class).purge()).map(both -> both.getT1() + both.getT2())
                .as(StepVerifier::create).expectNextMatches(purged -> purged >= 3000).verifyComplete();

        db.sql("select count(*) as n from audit_events where tenant_id = :t").bind("t", owner.tenantId())
                .map(row -> row.get("n", Long.class)).one()
                .as(StepVerifier::create).expectNext(1L).verifyComplete();
    }

    private static void ask(WebTestClient client, Account owner) {
        JsonNode answer = client.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "When does the bell tower ring?", "min_score", 0.0))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.get("answer").asString()).isEqualTo("At noon.");
    }
}
