package io.docqa.tenant;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** Two tenants probing each other's users and keys through every endpoint get 404s and see nothing. */
class TenantIsolationTest extends IntegrationTest {

    @Test
    void tenantsCannotSeeOrTouchEachOthersUsersAndKeys() {
        Account a = api.signup("Tenant A");
        Account b = api.signup("Tenant B");
        Account aMember = api.addUser(a, "member");
        String aKeyId = http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, a.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "a key", "role", "viewer"))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();

        for (var user : new Object[] { a.userId(), aMember.userId() }) {
            http.patch().uri("/api/v1/users/{id}", user).header(HttpHeaders.AUTHORIZATION, b.bearer())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("role", "viewer"))
                    .exchange().expectStatus().isNotFound()
                    .expectBody().jsonPath("$.code").isEqualTo("not_found");
            http.delete().uri("/api/v1/users/{id}", user).header(HttpHeaders.AUTHORIZATION, b.bearer())
                    .exchange().expectStatus().isNotFound();
        }
        http.delete().uri("/api/v1/api-keys/{id}", aKeyId).header(HttpHeaders.AUTHORIZATION, b.bearer())
                .exchange().expectStatus().isNotFound();

        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, b.bearer()).exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].id").isEqualTo(b.userId().toString());
        http.get().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, b.bearer()).exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(0);
        http.get().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, b.bearer()).exchange()
                .expectBody().jsonPath("$.id").isEqualTo(b.tenantId().toString());

        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, a.bearer()).exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(2);
        http.get().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, a.bearer()).exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(1);
    }

    @Test
    void aTenantIdInTheRequestIsIgnored() {
        Account a = api.signup("Tenant A");
        Account b = api.signup("Tenant B");
        http.get().uri("/api/v1/tenant?tenant_id={id}", a.tenantId()).header(HttpHeaders.AUTHORIZATION, b.bearer())
                .header("X-Tenant-Id", a.tenantId().toString())
                .exchange().expectBody().jsonPath("$.id").isEqualTo(b.tenantId().toString());
    }

    @Test
    void tenantDescribesItself() {
        Account a = api.signup("Described");
        http.get().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, a.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("Described")
                .jsonPath("$.created_at").isNotEmpty()
                .jsonPath("$.usage.documents").isEqualTo(0);
    }

    @Test
    void deletingATenantRemovesEveryRowAndEveryCredential() {
        Account a = api.signup("Doomed");
        Account member = api.addUser(a, "member");
        String key = http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, a.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "k", "role", "viewer"))
                .exchange().expectBody(JsonNode.class).returnResult().getResponseBody().get("key").asString();
        Account survivor = api.signup("Survivor");

        http.delete().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, a.bearer()).exchange()
                .expectStatus().isNoContent();

        for (String token : new String[] { a.accessToken(), member.accessToken(), key }) {
            http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                    .expectStatus().isUnauthorized();
        }
        http.post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refresh_token", a.refreshToken())).exchange().expectStatus().isUnauthorized();
        for (String table : new String[] { "tenants", "users", "refresh_tokens", "api_keys", "audit_events" }) {
            String column = table.equals("tenants") ? "id" : "tenant_id";
            db.sql("select count(*) as n from " + table + " where " + column + " = :t").bind("t", a.tenantId())
                    .map(row -> row.get("n", Long.class)).one()
                    .as(StepVerifier::create).expectNext(0L).verifyComplete();
        }
        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, survivor.bearer()).exchange().expectStatus().isOk();
    }
}
