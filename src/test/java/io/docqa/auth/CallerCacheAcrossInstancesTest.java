package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.awaitility.core.ThrowingRunnable;

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
import tools.jackson.databind.JsonNode;

/**
 * Two instances on one database, each caching who a bearer token stands for: a revocation made through one is refused
 * by the other on the very next request, although the other had the caller cached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallerCacheAcrossInstancesTest extends IntegrationTest {

    @Autowired
    ConfigurableEnvironment shared;

    @Autowired
    CallerCache cache;

    ServiceInstance other;
    CallerCache otherCache;

    @BeforeAll
    void startAnotherInstance() {
        other = ServiceInstance.startLike(shared, Map.of());
        otherCache = other.bean(CallerCache.class);
    }

    @AfterAll
    void stopIt() {
        other.close();
    }

    @Test
    void aKeyRevokedOnOneInstanceIsRefusedByTheOtherOnceNotified() {
        Account owner = api.signup("Key revoked elsewhere");
        JsonNode created = http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "ci", "role", "member"))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        String key = created.get("key").asString();
        WebTestClient second = other.http();
        cachedOn(second, otherCache, "Bearer " + key);

        http.delete().uri("/api/v1/api-keys/{id}", created.get("id").asString()).header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .exchange().expectStatus().isNoContent();

        tenant(http, "Bearer " + key).expectStatus().isUnauthorized();
        refusedOnceNotified(() -> tenant(second, "Bearer " + key).expectStatus().isUnauthorized());
    }

    @Test
    void aUserDisabledOnOneInstanceIsRefusedByTheOtherOnceNotified() {
        Account owner = api.signup("User disabled elsewhere");
        Account member = api.addUser(owner, "member");
        WebTestClient second = other.http();
        cachedOn(second, otherCache, member.bearer());

        change(owner, member, Map.of("disabled", true));

        refusedOnceNotified(() -> tenant(second, member.bearer()).expectStatus().isUnauthorized());
    }

    @Test
    void aRoleLoweredOnOneInstanceCountsOnTheOtherOnceNotified() {
        Account owner = api.signup("Role lowered elsewhere");
        Account admin = api.addUser(owner, "admin");
        WebTestClient second = other.http();
        cachedOn(second, otherCache, admin.bearer());
        second.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, admin.bearer()).exchange().expectStatus().isOk();

        change(owner, admin, Map.of("role", "viewer"));

        refusedOnceNotified(() -> second.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, admin.bearer())
                .exchange().expectStatus().isForbidden());
    }

    @Test
    void aTenantDeletedOnOneInstanceIsRefusedByTheOtherOnceNotified() {
        Account owner = api.signup("Tenant deleted elsewhere");
        String key = api.apiKey(owner, "viewer");
        WebTestClient second = other.http();
        cachedOn(second, otherCache, owner.bearer());
        cachedOn(second, otherCache, "Bearer " + key);

        http.delete().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange().expectStatus().isNoContent();

        refusedOnceNotified(() -> {
            tenant(second, owner.bearer()).expectStatus().isUnauthorized();
            tenant(second, "Bearer " + key).expectStatus().isUnauthorized();
        });
    }

    @Test
    void aLookupIsKeptAndUsedUntilSomethingChanges() {
        Account owner = api.signup("Cached");
        cachedOn(http, cache, owner.bearer());
        tenant(http, owner.bearer()).expectStatus().isOk();
        assertThat(cache.holds(owner.accessToken())).isTrue();

        cache.invalidateAll();

        assertThat(cache.holds(owner.accessToken())).isFalse();
    }

    /** The owner changes a user through this instance. */
    private void change(Account owner, Account user, Map<String, Object> change) {
        http.patch().uri("/api/v1/users/{id}", user.userId()).header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(change).exchange().expectStatus().isOk();
    }

    /**
     * The other instance hears of a change through PostgreSQL's notification, which arrives within milliseconds but not
     * before the changing request has answered: under load the first request after the change may still be served from
     * its cache, so the refusal is awaited (well inside the cache's minute, which alone would let it through).
     */
    private static void refusedOnceNotified(ThrowingRunnable refusal) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(refusal);
    }

    /** Asks until the instance keeps the caller (it keeps none before it listens for changes), then once more from the cache. */
    private static void cachedOn(WebTestClient client, CallerCache cache, String bearer) {
        String token = bearer.substring("Bearer ".length());
        await().untilAsserted(() -> {
            tenant(client, bearer).expectStatus().isOk();
            assertThat(cache.holds(token)).isTrue();
        });
        tenant(client, bearer).expectStatus().isOk();
    }

    private static WebTestClient.ResponseSpec tenant(WebTestClient client, String bearer) {
        return client.get().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, bearer).exchange();
    }
}
