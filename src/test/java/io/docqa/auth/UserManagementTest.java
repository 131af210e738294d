package io.docqa.auth;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;

class UserManagementTest extends IntegrationTest {

    @Test
    void adminManagesMembersButNotOwners() {
        Account owner = api.signup("Roles");
        Account admin = api.addUser(owner, "admin");
        createUser(admin, "member").expectStatus().isCreated().expectBody().jsonPath("$.role").isEqualTo("member");
        createUser(admin, "admin").expectStatus().isCreated();
        createUser(admin, "owner").expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
        patch(admin, owner.userId(), Map.of("role", "member")).expectStatus().isForbidden();
        patch(admin, owner.userId(), Map.of("disabled", true)).expectStatus().isForbidden();
        patch(admin, admin.userId(), Map.of("role", "owner")).expectStatus().isForbidden();
        delete(admin, owner.userId()).expectStatus().isForbidden();
    }

    @Test
    void membersAndViewersCannotManageUsersOrKeys() {
        Account owner = api.signup("Lower roles");
        for (String role : new String[] { "member", "viewer" }) {
            Account lower = api.addUser(owner, role);
            http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, lower.bearer()).exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
            createUser(lower, "viewer").expectStatus().isForbidden();
            patch(lower, lower.userId(), Map.of("role", "admin")).expectStatus().isForbidden();
            http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, lower.bearer())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "k", "role", "viewer"))
                    .exchange().expectStatus().isForbidden();
            http.delete().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, lower.bearer()).exchange()
                    .expectStatus().isForbidden();
        }
    }

    @Test
    void theLastOwnerCannotRemoveItself() {
        Account owner = api.signup("Last owner");
        patch(owner, owner.userId(), Map.of("role", "admin")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("last_owner");
        patch(owner, owner.userId(), Map.of("disabled", true)).expectStatus().isEqualTo(409);
        delete(owner, owner.userId()).expectStatus().isEqualTo(409);

        Account second = api.addUser(owner, "owner");
        patch(owner, owner.userId(), Map.of("role", "admin")).expectStatus().isOk()
                .expectBody().jsonPath("$.role").isEqualTo("admin");
        delete(second, second.userId()).expectStatus().isEqualTo(409);
    }

    @Test
    void aRoleChangeCountsAtOnceForExistingTokens() {
        Account owner = api.signup("Demotion");
        Account admin = api.addUser(owner, "admin");
        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, admin.bearer()).exchange().expectStatus().isOk();
        patch(owner, admin.userId(), Map.of("role", "viewer")).expectStatus().isOk();
        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, admin.bearer()).exchange().expectStatus().isForbidden();
    }

    @Test
    void disabledUsersCannotSignInRefreshOrUseTheirToken() {
        Account owner = api.signup("Disable");
        Account member = api.addUser(owner, "member");
        patch(owner, member.userId(), Map.of("disabled", true)).expectStatus().isOk()
                .expectBody().jsonPath("$.disabled").isEqualTo(true);
        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, member.bearer()).exchange().expectStatus().isUnauthorized();
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", member.email(), "password", Account.PASSWORD))
                .exchange().expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo("invalid_credentials");
        http.post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refresh_token", member.refreshToken()))
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void deletedUsersLoseAccessAtOnce() {
        Account owner = api.signup("Delete user");
        Account member = api.addUser(owner, "member");
        delete(owner, member.userId()).expectStatus().isNoContent();
        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, member.bearer()).exchange().expectStatus().isUnauthorized();
        delete(owner, member.userId()).expectStatus().isNotFound();
    }

    @Test
    void listShowsTheTenantsUsersWithoutSecrets() {
        Account owner = api.signup("List");
        api.addUser(owner, "viewer");
        http.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].email").isEqualTo(owner.email())
                .jsonPath("$[0].disabled").isEqualTo(false)
                .jsonPath("$[0].created_at").isNotEmpty()
                .jsonPath("$[0].password_hash").doesNotExist();
    }

    @Test
    void newUsersAreValidated() {
        Account owner = api.signup("Validate users");
        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "x", "password", "short", "role", "emperor"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors.length()").isEqualTo(3);
        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", owner.email(), "password", Account.PASSWORD, "role", "viewer"))
                .exchange().expectStatus().isEqualTo(409);
    }

    private WebTestClient.ResponseSpec createUser(Account caller, String role) {
        return http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, caller.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", Api.uniqueEmail(role), "password", Account.PASSWORD, "role", role))
                .exchange();
    }

    private WebTestClient.ResponseSpec patch(Account caller, UUID user, Map<String, Object> change) {
        return http.patch().uri("/api/v1/users/{id}", user).header(HttpHeaders.AUTHORIZATION, caller.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(change).exchange();
    }

    private WebTestClient.ResponseSpec delete(Account caller, UUID user) {
        return http.delete().uri("/api/v1/users/{id}", user).header(HttpHeaders.AUTHORIZATION, caller.bearer()).exchange();
    }
}
