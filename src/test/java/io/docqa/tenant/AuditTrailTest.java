package io.docqa.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** The audit trail through {@code GET /api/v1/audit-events}: what is recorded, paging, filters, isolation, retention. */
class AuditTrailTest extends IntegrationTest {

    @Autowired
    AuditRetention retention;

    @Test
    void everySecurityActionOfATenantIsInItsTrail() {
        Account owner = api.signup("Audited");
        api.login(owner.email(), Account.PASSWORD);
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", owner.email(), "password", "not the password")).exchange()
                .expectStatus().isUnauthorized();
        JsonNode created = http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .header("X-Request-Id", "audit-create-user").header("X-Forwarded-For", "203.0.113.7")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", io.docqa.support.Api.uniqueEmail("member"), "password", Account.PASSWORD, "role", "member"))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        String userId = created.get("id").asString();
        patchUser(owner, userId, Map.of("role", "viewer"));
        patchUser(owner, userId, Map.of("disabled", true));
        patchUser(owner, userId, Map.of("disabled", false));
        http.delete().uri("/api/v1/users/{id}", userId).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isNoContent();
        String keyId = http.post().uri("/api/v1/api-keys").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "ci", "role", "viewer"))
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("id").asString();
        http.delete().uri("/api/v1/api-keys/{id}", keyId).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isNoContent();
        String documentId = api.upload(owner, "audited.txt", "The audited document says the archive opens at nine.");
        http.delete().uri("/api/v1/documents/{id}", documentId).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isNoContent();
        http.patch().uri("/api/v1/tenant/settings").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("temperature", 0.5)).exchange().expectStatus().isOk();
        String next = refresh(owner.refreshToken(), 200).get("refresh_token").asString();
        refresh(owner.refreshToken(), 401);
        Account again = api.login(owner.email(), Account.PASSWORD);
        http.post().uri("/api/v1/auth/logout").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refresh_token", again.refreshToken())).exchange().expectStatus().isNoContent();

        List<JsonNode> events = all(owner, "");

        assertThat(events).extracting(event -> event.get("action").asString()).contains("signup", "login_succeeded",
                "login_failed", "user_created", "role_changed", "user_disabled", "user_enabled", "user_deleted",
                "api_key_created", "api_key_revoked", "document_uploaded", "document_deleted", "settings_changed",
                "refresh_reused", "logout");
        assertThat(next).isNotBlank();
        JsonNode userCreated = only(events, "user_created");
        assertThat(userCreated.get("actor").get("type").asString()).isEqualTo("user");
        assertThat(userCreated.get("actor").get("id").asString()).isEqualTo(owner.userId().toString());
        assertThat(userCreated.get("actor").get("email").asString()).isEqualTo(owner.email());
        assertThat(userCreated.get("target").get("type").asString()).isEqualTo("user");
        assertThat(userCreated.get("target").get("id").asString()).isEqualTo(userId);
        assertThat(userCreated.get("request_id").asString()).isEqualTo("audit-create-user");
        assertThat(userCreated.get("client_ip").asString()).isEqualTo("203.0.113.7");
        assertThat(userCreated.get("details").get("role").asString()).isEqualTo("member");
        assertThat(Instant.parse(userCreated.get("at").asString())).isBefore(Instant.now().plusSeconds(60));
        JsonNode roleChanged = only(events, "role_changed");
        assertThat(roleChanged.get("details").get("from").asString()).isEqualTo("member");
        assertThat(roleChanged.get("details").get("to").asString()).isEqualTo("viewer");
        JsonNode failed = only(events, "login_failed");
        assertThat(failed.get("actor").get("type").asString()).isEqualTo("anonymous");
        assertThat(failed.get("target").get("id").asString()).isEqualTo(owner.userId().toString());
        assertThat(only(events, "refresh_reused").get("target").get("id").asString()).isEqualTo(owner.userId().toString());
        assertThat(only(events, "document_uploaded").get("details").get("filename").asString()).isEqualTo("audited.txt");
        assertThat(only(events, "document_deleted").get("target").get("id").asString()).isEqualTo(documentId);
        assertThat(only(events, "settings_changed").get("details").get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(only(events, "api_key_revoked").get("target").get("id").asString()).isEqualTo(keyId);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.get("request_id").asString()).isNotBlank();
            assertThat(event.get("client_ip").asString()).isNotBlank();
        });
        assertThat(events).extracting(event -> event.get("at").asString())
                .isSortedAccordingTo((a, b) -> Instant.parse(b).compareTo(Instant.parse(a)));
    }

    @Test
    void anApiKeyActsUnderItsMakersEmailAndADeletedTenantIsRecordedOutsideEveryTrail() {
        Account owner = api.signup("Doomed audit");
        String key = api.apiKey(owner, "admin");
        http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", io.docqa.support.Api.uniqueEmail("by-key"), "password", Account.PASSWORD, "role", "viewer"))
                .exchange().expectStatus().isCreated();
        JsonNode byKey = only(all(owner, "?action=user_created"), "user_created");
        assertThat(byKey.get("actor").get("type").asString()).isEqualTo("api_key");
        assertThat(byKey.get("actor").get("email").asString()).isEqualTo(owner.email());

        http.delete().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange().expectStatus().isNoContent();

        db.sql("select count(*) as n from audit_events where tenant_id = :t").bind("t", owner.tenantId())
                .map(row -> row.get("n", Long.class)).one()
                .as(StepVerifier::create).expectNext(0L).verifyComplete();
        db.sql("select actor_email, tenant_id from audit_events where action = 'tenant_deleted' and target_id = :t")
                .bind("t", owner.tenantId().toString())
                .map(row -> row.get("actor_email", String.class) + "/" + row.get("tenant_id", UUID.class)).all()
                .as(StepVerifier::create).expectNext(owner.email() + "/null").verifyComplete();
    }

    @Test
    void aFailedLoginNamingNoAccountIsRecordedOutsideEveryTenantWithoutTheEmail() {
        String email = io.docqa.support.Api.uniqueEmail("nobody");
        http.post().uri("/api/v1/auth/login").header("X-Request-Id", "audit-unknown-" + email.hashCode())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", email, "password", "whatever it is"))
                .exchange().expectStatus().isUnauthorized();

        db.sql("select tenant_id, actor_type, details::text as details from audit_events where action = 'login_failed' "
                        + "and request_id = :id")
                .bind("id", "audit-unknown-" + email.hashCode())
                .map(row -> row.get("tenant_id", UUID.class) + "/" + row.get("actor_type", String.class) + "/"
                        + row.get("details", String.class))
                .all()
                .as(StepVerifier::create)
                .expectNextMatches(row -> row.startsWith("null/anonymous/") && row.contains("unknown_account") && !row.contains(email))
                .verifyComplete();
    }

    @Test
    void pagesFollowTheCursorNewestFirstWithoutGapsOrRepeats() {
        Account owner = api.signup("Paged");
        for (int i = 0; i < 5; i++) {
            api.apiKey(owner, "viewer");
        }
        List<JsonNode> whole = all(owner, "");
        assertThat(whole).hasSizeGreaterThanOrEqualTo(6);

        List<Long> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = list(owner, "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(item -> paged.add(item.get("id").asLong()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
            pages++;
        } while (cursor != null && pages < 20);

        assertThat(paged).containsExactlyElementsOf(whole.stream().map(event -> event.get("id").asLong()).toList());
        assertThat(pages).isEqualTo((whole.size() + 1) / 2);
    }

    @Test
    void filtersByActorActionAndPeriod() {
        Account owner = api.signup("Filtered");
        Account admin = api.addUser(owner, "admin");
        api.apiKey(admin, "viewer");
        api.apiKey(owner, "viewer");

        assertThat(all(owner, "?action=api_key_created")).hasSize(2)
                .allSatisfy(event -> assertThat(event.get("action").asString()).isEqualTo("api_key_created"));
        assertThat(all(owner, "?actor=" + admin.userId())).isNotEmpty()
                .allSatisfy(event -> assertThat(event.get("actor").get("id").asString()).isEqualTo(admin.userId().toString()));
        assertThat(all(owner, "?action=api_key_created&actor=" + admin.email().toUpperCase())).hasSize(1);
        String hourAgo = Instant.now().minus(Duration.ofHours(1)).toString();
        String inAnHour = Instant.now().plus(Duration.ofHours(1)).toString();
        assertThat(all(owner, "?from=" + hourAgo + "&to=" + inAnHour)).hasSize(all(owner, "").size());
        assertThat(all(owner, "?from=" + inAnHour)).isEmpty();
        assertThat(all(owner, "?to=" + hourAgo)).isEmpty();
    }

    @Test
    void badParametersAreRefusedWithTheField() {
        Account owner = api.signup("Bad audit query");
        for (String[] bad : new String[][] { { "action=nope", "action" }, { "actor=someone", "actor" },
                { "from=yesterday", "from" }, { "cursor=not-a-cursor", "cursor" }, { "limit=0", "limit" },
                { "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to" } }) {
            http.get().uri("/api/v1/audit-events?" + bad[0]).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.code").isEqualTo("validation_failed")
                    .jsonPath("$.errors[0].field").isEqualTo(bad[1]);
        }
    }

    @Test
    void onlyAdminsAndOwnersReadTheTrailAndOnlyTheirTenants() {
        Account a = api.signup("Trail A");
        Account admin = api.addUser(a, "admin");
        Account member = api.addUser(a, "member");
        Account b = api.signup("Trail B");
        http.get().uri("/api/v1/audit-events").header(HttpHeaders.AUTHORIZATION, member.bearer()).exchange()
                .expectStatus().isForbidden();
        http.get().uri("/api/v1/audit-events").header(HttpHeaders.AUTHORIZATION, "Bearer " + api.apiKey(a, "member"))
                .exchange().expectStatus().isForbidden();
        assertThat(all(admin, "")).isNotEmpty();
        http.delete().uri("/api/v1/audit-events").header(HttpHeaders.AUTHORIZATION, a.bearer()).exchange()
                .expectStatus().isEqualTo(405);

        List<JsonNode> seenByB = all(b, "");
        Set<String> actorsOfB = new HashSet<>();
        seenByB.forEach(event -> actorsOfB.add(event.get("actor").get("id").asString()));
        assertThat(actorsOfB).containsOnly(b.userId().toString());
        assertThat(all(b, "?actor=" + a.userId())).isEmpty();
        String cursorOfA = list(a, "?limit=1").get("next_cursor").asString();
        assertThat(all(b, "?cursor=" + cursorOfA)).allSatisfy(event ->
                assertThat(event.get("actor").get("id").asString()).isEqualTo(b.userId().toString()));
    }

    @Test
    void entriesCannotBeChanged() {
        Account owner = api.signup("Append only");
        db.sql("update audit_events set action = 'nothing' where tenant_id = :t").bind("t", owner.tenantId())
                .fetch().rowsUpdated()
                .as(StepVerifier::create).expectErrorMatches(e -> e.getMessage().contains("append-only")).verify();
        assertThat(all(owner, "?action=signup")).hasSize(1);
    }

    @Test
    void thePurgeRemovesWhatIsOlderThanTheRetentionAlsoWhenTwoRunAtOnce() {
        Account owner = api.signup("Retained");
        db.sql("insert into audit_events (tenant_id, actor_type, action, created_at) select :t, 'anonymous', 'login_failed', "
                        + "now() - interval '400 days' - g * interval '1 second' from generate_series(1, 2500) g")
                .bind("t", owner.tenantId()).fetch().rowsUpdated()
                .as(StepVerifier::create).expectNext(2500L).verifyComplete();

        Mono.zip(retention.purge(), retention.purge()).map(both -> both.getT1() + both.getT2())
                .as(StepVerifier::create).expectNextMatches(purged -> purged >= 2500).verifyComplete();

        db.sql("select count(*) as n from audit_events where created_at < now() - interval '365 days'")
                .map(row -> row.get("n", Long.class)).one()
                .as(StepVerifier::create).expectNext(0L).verifyComplete();
        assertThat(all(owner, "")).extracting(event -> event.get("action").asString()).containsExactly("signup");
    }

    private void patchUser(Account admin, String id, Map<String, Object> change) {
        http.patch().uri("/api/v1/users/{id}", id).header(HttpHeaders.AUTHORIZATION, admin.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(change).exchange().expectStatus().isOk();
    }

    private JsonNode refresh(String token, int status) {
        return http.post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refresh_token", token)).exchange().expectStatus().isEqualTo(status)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode list(Account who, String query) {
        return http.get().uri("/api/v1/audit-events" + query).header(HttpHeaders.AUTHORIZATION, who.bearer()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** Every page, following the cursor. */
    private List<JsonNode> all(Account who, String query) {
        List<JsonNode> events = new ArrayList<>();
        String separator = query.isEmpty() ? "?" : "&";
        JsonNode page = list(who, query);
        while (true) {
            page.get("items").forEach(events::add);
            if (page.get("next_cursor").isNull()) {
                return events;
            }
            page = list(who, query + separator + "cursor=" + page.get("next_cursor").asString());
        }
    }

    private static JsonNode only(List<JsonNode> events, String action) {
        List<JsonNode> found = events.stream().filter(event -> action.equals(event.get("action").asString())).toList();
        assertThat(found).as(action).hasSize(1);
        return found.get(0);
    }
}
