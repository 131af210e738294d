package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

class ApiKeyTest extends IntegrationTest {

    @Test
    void aKeyIsShownOnceWorksWithItsRoleAndStopsAtOnceWhenRevoked() {
        Account owner = api.signup("Keys");
        JsonNode created = createKey(owner, "ci", "viewer");
        String key = created.get("key").asString();
        assertThat(key).startsWith("dq_").startsWith(created.get("prefix").asString());

        http.get().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].name").isEqualTo("ci")
                .jsonPath("$[0].key").doesNotExist()
                .jsonPath("$[0].last_used_at").isEmpty();

        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.api_key.role").isEqualTo("viewer")
                .jsonPath("$.tenant.id").isEqualTo(owner.tenantId().toString());
        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                .expectStatus().isForbidden();
        http.get().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectBody().jsonPath("$[0].last_used_at").isNotEmpty();

        http.delete().uri("/api/v1/api-keys/{id}", created.get("id").asString())
                .header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange().expectStatus().isNoContent();
        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                .expectStatus().isUnauthorized();
        http.delete().uri("/api/v1/api-keys/{id}", created.get("id").asString())
                .header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange().expectStatus().isNotFound();
    }

    @Test
    void aKeyCannotOutrankItsMakerAndCannotBeAnOwner() {
        Account owner = api.signup("Key ranks");
        Account admin = api.addUser(owner, "admin");
        createKey(admin, "admin key", "admin");
        http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "root", "role", "owner"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("role");
    }

    @Test
    void aKeyActsWithItsMakersCurrentRoleAtMost() {
        Account owner = api.signup("Demoted maker");
        Account admin = api.addUser(owner, "admin");
        String key = createKey(admin, "automation", "admin").get("key").asString();
        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange().expectStatus().isOk();

        changeRole(owner, admin, "viewer");
        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.api_key.role").isEqualTo("viewer");
        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange().expectStatus().isForbidden();
        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", Api.uniqueEmail("x"), "password", Account.PASSWORD, "role", "admin"))
                .exchange().expectStatus().isForbidden();

        changeRole(owner, admin, "admin");
        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange().expectStatus().isOk();
    }

    @Test
    void aDeletedMakersKeysAreRevoked() {
        Account owner = api.signup("Deleted maker");
        Account admin = api.addUser(owner, "admin");
        String key = createKey(admin, "automation", "member").get("key").asString();
        http.delete().uri("/api/v1/users/{id}", admin.userId()).header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .exchange().expectStatus().isNoContent();
        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange().expectStatus().isUnauthorized();
        http.get().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(0);
    }

    @Test
    void aKeyMadeByAKeyIsCappedByThePersonBehindIt() {
        Account owner = api.signup("Key chain");
        Account admin = api.addUser(owner, "admin");
        Account keyOfAdmin = new Account(admin.email(), admin.userId(), admin.tenantId(),
                createKey(admin, "provisioner", "admin").get("key").asString(), null);
        JsonNode child = createKey(keyOfAdmin, "child", "member");
        assertThat(child.get("created_by").asString()).isEqualTo(admin.userId().toString());
        http.get().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectBody()
                .jsonPath("$[0].created_by").isEqualTo(admin.userId().toString())
                .jsonPath("$[1].created_by").isEqualTo(admin.userId().toString());

        changeRole(owner, admin, "member");
        http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, keyOfAdmin.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "another", "role", "admin"))
                .exchange().expectStatus().isForbidden();
        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + child.get("key").asString()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.api_key.role").isEqualTo("member");
    }

    @Test
    void aKeyStopsWhenItExpires() {
        Account owner = api.signup("Expiring key");
        http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "old", "role", "viewer", "expires_at", "2020-01-01T00:00:00Z"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("expires_at");
        JsonNode created = http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "soon", "role", "viewer", "expires_at", "2099-01-01T00:00:00Z"))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(created.get("expires_at").asString()).startsWith("2099-01-01T00:00");
        String key = created.get("key").asString();
        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange().expectStatus().isOk();

        db.sql("update api_keys set expires_at = now() - interval '1 second' where id = :id")
                .bind("id", UUID.fromString(created.get("id").asString())).then().block();
        // changed behind the API's back: the instance's cache of callers learns it from PostgreSQL's notification
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> http.get().uri("/api/v1/me")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange().expectStatus().isUnauthorized());
    }

    private void changeRole(Account owner, Account user, String role) {
        http.patch().uri("/api/v1/users/{id}", user.userId()).header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("role", role))
                .exchange().expectStatus().isOk();
    }

    @Test
    void anUnknownKeyIsRejected() {
        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer dq_notARealKey").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().exists(HttpHeaders.WWW_AUTHENTICATE);
    }

    private JsonNode createKey(Account caller, String name, String role) {
        return http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, caller.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", name, "role", role))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
