package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
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
