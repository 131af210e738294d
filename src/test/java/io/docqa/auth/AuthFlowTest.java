package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class AuthFlowTest extends IntegrationTest {

    @Autowired
    private RefreshTokens refreshTokens;

    @Test
    void signupCreatesTenantAndOwnerAndTokens() {
        String email = Api.uniqueEmail("new");
        http.post().uri("/api/v1/auth/signup").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant_name", "Acme", "email", email, "password", Account.PASSWORD))
                .exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.tenant.id").isNotEmpty()
                .jsonPath("$.tenant.name").isEqualTo("Acme")
                .jsonPath("$.user.email").isEqualTo(email)
                .jsonPath("$.user.role").isEqualTo("owner")
                .jsonPath("$.access_token").isNotEmpty()
                .jsonPath("$.refresh_token").isNotEmpty()
                .jsonPath("$.token_type").isEqualTo("Bearer")
                .jsonPath("$.expires_in").isEqualTo(900);
    }

    @Test
    void emailsAreUniqueAcrossTenantsIgnoringCase() {
        Account first = api.signup("First");
        http.post().uri("/api/v1/auth/signup").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant_name", "Second", "email", first.email().toUpperCase(), "password", Account.PASSWORD))
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("email_taken");
    }

    @Test
    void signupValidatesEveryField() {
        http.post().uri("/api/v1/auth/signup").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant_name", "", "email", "not-an-email", "password", "short"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.errors[?(@.field == 'tenant_name')]").exists()
                .jsonPath("$.errors[?(@.field == 'email')]").exists()
                .jsonPath("$.errors[?(@.field == 'password')]").exists();
    }

    @Test
    void overlongPasswordIsRejectedNotHashed() {
        http.post().uri("/api/v1/auth/signup").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant_name", "Long", "email", Api.uniqueEmail("long"), "password", "p".repeat(300)))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("password");
    }

    @Test
    void loginGivesTheSameBodyForUnknownEmailAndWrongPassword() {
        Account account = api.signup("Login");
        JsonNode wrongPassword = failedLogin(account.email(), "wrong password!");
        JsonNode unknownEmail = failedLogin(Api.uniqueEmail("nobody"), "wrong password!");
        // alike but for the id of each request
        assertThat(((ObjectNode) wrongPassword).without("request_id")).isEqualTo(((ObjectNode) unknownEmail).without("request_id"));
        assertThat(wrongPassword.get("code").asString()).isEqualTo("invalid_credentials");
        api.login(account.email().toUpperCase(), Account.PASSWORD);
    }

    @Test
    void repeatedFailuresAreThrottledForKnownAndUnknownEmailsFromThatClientOnly() {
        Account account = api.signup("Throttle");
        for (String email : new String[] { account.email(), Api.uniqueEmail("ghost") }) {
            for (int i = 0; i < 5; i++) {
                failedLogin(email, "wrong password!");
            }
            http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("email", email, "password", Account.PASSWORD))
                    .exchange()
                    .expectStatus().isEqualTo(429)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
        }
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .header("X-Forwarded-For", "198.51.100.7")
                .bodyValue(Map.of("email", account.email(), "password", Account.PASSWORD))
                .exchange()
                .expectStatus().isOk();
    }

    @Test
    void refreshRotatesAndTheSpentTokenStopsWorking() {
        Account account = api.signup("Refresh");
        JsonNode rotated = refresh(account.refreshToken(), 200);
        assertThat(rotated.get("refresh_token").asString()).isNotEqualTo(account.refreshToken());
        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + rotated.get("access_token").asString())
                .exchange().expectStatus().isOk();
        refresh(rotated.get("refresh_token").asString(), 200);
    }

    @Test
    void reusingASpentRefreshTokenRevokesTheWholeFamily() {
        Account account = api.signup("Reuse");
        String next = refresh(account.refreshToken(), 200).get("refresh_token").asString();
        JsonNode reuse = refresh(account.refreshToken(), 401);
        assertThat(reuse.get("code").asString()).isEqualTo("invalid_refresh_token");
        refresh(next, 401);
        Long audited = db.sql("select count(*) as n from audit_events where tenant_id = :t and action = 'refresh_reused'")
                .bind("t", account.tenantId()).map(row -> row.get("n", Long.class)).one().block();
        assertThat(audited).isEqualTo(1);
    }

    /**
     * The worst interleaving of one refresh token sent to two instances at once: the winner spends it, the loser sees
     * it spent and revokes the family, and only then does the winner write the family's next token.
     */
    @Test
    void aTokenIssuedIntoAFamilyRevokedMeanwhileCannotBeSpent() {
        Account account = api.signup("Race");
        RefreshTokens.Holder winner = refreshTokens.spend(account.refreshToken()).block();
        assertThat(winner).isNotNull();
        assertThat(refreshTokens.revokeFamilyIfReused(account.refreshToken()).block()).isNotNull();
        String issuedAfterRevocation = refreshTokens.next(winner).block();
        refresh(issuedAfterRevocation, 401);
    }

    @Test
    void logoutRevokesTheFamily() {
        Account account = api.signup("Logout");
        http.post().uri("/api/v1/auth/logout").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refresh_token", account.refreshToken()))
                .exchange().expectStatus().isNoContent();
        refresh(account.refreshToken(), 401);
    }

    @Test
    void meDescribesTheCaller() {
        Account account = api.signup("Me");
        http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.user.id").isEqualTo(account.userId().toString())
                .jsonPath("$.user.role").isEqualTo("owner")
                .jsonPath("$.tenant.id").isEqualTo(account.tenantId().toString())
                .jsonPath("$.permissions").value(permissions -> assertThat(permissions.toString()).contains("tenant:delete"));
    }

    @Test
    void jwksPublishesOnlyPublicKeys() {
        http.get().uri("/.well-known/jwks.json")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.keys[0].kty").isEqualTo("EC")
                .jsonPath("$.keys[0].alg").isEqualTo("ES256")
                .jsonPath("$.keys[0].kid").isNotEmpty()
                .jsonPath("$.keys[0].d").doesNotExist();
    }

    private JsonNode failedLogin(String email, String password) {
        return http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", password))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode refresh(String token, int status) {
        return http.post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refresh_token", token))
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
