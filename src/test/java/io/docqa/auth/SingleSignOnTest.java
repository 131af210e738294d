package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriComponentsBuilder;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.OidcProviders;
import io.docqa.support.ServiceInstance;
import tools.jackson.databind.JsonNode;

/**
 * Single sign-on against real OpenID Providers ({@link OidcProviders}) over real HTTP, as a browser does it, with two
 * instances of the service on one database: a sign-on may start on one and be answered on the other.
 * Providers of the services under test: {@code acme} maps emails at acme.test to one tenant (members), {@code fixed}
 * puts everyone into another (viewers), {@code mixup} is configured with a forged discovery document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleSignOnTest extends IntegrationTest {

    private static final String JSON = "application/json";

    @Autowired
    ConfigurableEnvironment shared;

    OidcProviders idp;
    ServiceInstance one;
    ServiceInstance two;
    Account acme;
    Account fixed;

    @BeforeAll
    void startProvidersAndTwoInstances() throws Exception {
        Api setup = new Api(WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build());
        acme = setup.signup("Acme");
        fixed = setup.signup("Fixed");
        idp = OidcProviders.start();
        Map<String, String> settings = new LinkedHashMap<>();
        provider(settings, "acme", "main", "Acme ID");
        settings.put("docqa.sso.providers.acme.domains", "acme.test=" + acme.tenantId());
        provider(settings, "fixed", "main", "Fixed");
        settings.put("docqa.sso.providers.fixed.tenant", fixed.tenantId().toString());
        settings.put("docqa.sso.providers.fixed.default-role", "viewer");
        provider(settings, "mixup", "mixup", "Mix-up");
        settings.put("docqa.sso.providers.mixup.tenant", fixed.tenantId().toString());
        one = ServiceInstance.startLike(shared, settings);
        two = ServiceInstance.startLike(shared, settings);
        for (String id : List.of("acme", "fixed", "mixup")) {
            idp.register(id.equals("mixup") ? "other" : "main", "docqa-" + id, "secret-" + id,
                    List.of(callback(one, id), callback(two, id)));
        }
    }

    private void provider(Map<String, String> settings, String id, String at, String name) {
        String prefix = "docqa.sso.providers." + id + ".";
        settings.put(prefix + "name", name);
        settings.put(prefix + "issuer-uri", idp.issuer(at));
        settings.put(prefix + "client-id", "docqa-" + id);
        settings.put(prefix + "client-secret", "secret-" + id);
    }

    private static String callback(ServiceInstance instance, String provider) {
        return "http://127.0.0.1:" + instance.port() + "/login/oauth2/code/" + provider;
    }

    @AfterAll
    void stop() throws Exception {
        one.close();
        two.close();
        idp.close();
    }

    @Test
    void theConfiguredProvidersAreListedWithTheirLoginPaths() {
        JsonNode providers = one.http().get().uri("/api/v1/auth/providers").exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody().get("providers");
        assertThat(providers).hasSize(3);
        JsonNode acmeId = null;
        for (JsonNode provider : providers) {
            acmeId = provider.get("id").asString().equals("acme") ? provider : acmeId;
        }
        assertThat(acmeId).isNotNull();
        assertThat(acmeId.get("name").asString()).isEqualTo("Acme ID");
        assertThat(acmeId.get("login_url").asString()).isEqualTo("/oauth2/authorization/acme");

        http.get().uri("/api/v1/auth/providers").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.providers").isEmpty();
    }

    @Test
    void aFirstSignOnMakesAMemberInTheTenantOfTheEmailDomainWithTokensThatWork() {
        String email = email("alice", "acme.test");
        Browser browser = Browser.html();
        URI authorization = start(browser, one, "acme");
        Map<String, String> asked = query(authorization);
        assertThat(authorization.toString()).startsWith(idp.issuer("main"));
        assertThat(asked).containsEntry("response_type", "code").containsEntry("code_challenge_method", "S256")
                .containsKeys("code_challenge", "state", "nonce");
        assertThat(asked.get("scope")).contains("openid");

        JsonNode tokens = exchange(one, code(browser.get(signIn(browser, authorization, email))));
        assertThat(tokens.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(tokens.get("tenant").get("id").asString()).isEqualTo(acme.tenantId().toString());
        JsonNode me = me(tokens);
        assertThat(me.get("user").get("email").asString()).isEqualTo(email);
        assertThat(me.get("user").get("role").asString()).isEqualTo("member");
        assertThat(me.get("tenant").get("id").asString()).isEqualTo(acme.tenantId().toString());
        http.post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refresh_token", tokens.get("refresh_token").asString()))
                .exchange().expectStatus().isOk();
        assertThat(audited(userId(tokens), "sso_login_succeeded")).isEqualTo(1);
        // no password works for an account made by a sign-on
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", "")).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void theCodeForTheTokensWorksOnceOnly() {
        Browser browser = Browser.html();
        String code = code(browser.get(signIn(browser, start(browser, one, "acme"), email("once", "acme.test"))));
        exchange(two, code);
        two.http().post().uri("/api/v1/auth/sso/exchange").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("code", code)).exchange()
                .expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo("invalid_sso_code");
    }

    @Test
    void laterSignOnsFindTheSameAccountAlsoWhenAnsweredOnTheOtherInstance() {
        String email = email("bert", "acme.test");
        Browser first = Browser.html();
        UUID user = userId(exchange(one, code(first.get(signIn(first, start(first, one, "acme"), email)))));

        Browser second = Browser.html();
        URI answer = signIn(second, start(second, one, "acme"), email);
        URI onTwo = UriComponentsBuilder.fromUri(answer).port(two.port()).build(true).toUri();
        assertThat(userId(exchange(two, code(second.get(onTwo))))).isEqualTo(user);
        assertThat(db.sql("select count(*) as n from users where email = :email").bind("email", email)
                .map(row -> row.get("n", Long.class)).one().block()).isEqualTo(1L);
    }

    @Test
    void anAccountAnAdminMadeIsJoinedWithItsRole() {
        String email = email("carol", "acme.test");
        UUID made = UUID.fromString(http.post().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, acme.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", Account.PASSWORD, "role", "viewer"))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString());
        Browser browser = Browser.html();
        JsonNode me = me(exchange(one, code(browser.get(signIn(browser, start(browser, one, "acme"), email)))));
        assertThat(me.get("user").get("id").asString()).isEqualTo(made.toString());
        assertThat(me.get("user").get("role").asString()).isEqualTo("viewer");
    }

    @Test
    void aProviderWithAFixedTenantPutsEveryoneThereWithItsDefaultRole() {
        Browser browser = Browser.html();
        JsonNode me = me(exchange(two, code(browser.get(signIn(browser, start(browser, two, "fixed"), email("dora", "anywhere.test"))))));
        assertThat(me.get("tenant").get("id").asString()).isEqualTo(fixed.tenantId().toString());
        assertThat(me.get("user").get("role").asString()).isEqualTo("viewer");
    }

    @Test
    void anEmailDomainNoTenantTakesIsRefusedAndNoAccountIsMade() {
        String email = email("eve", "elsewhere.test");
        Browser browser = Browser.html();
        URI answer = signIn(browser, start(browser, one, "acme"), email);
        Browser.Page refused = browser.get(answer);
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.location().getPath()).isEqualTo("/");
        assertThat(refused.location().getFragment()).isEqualTo("sso_error=sso_tenant_unmapped");
        assertThat(accounts(email)).isZero();

        Browser script = new Browser(JSON);
        Browser.Page problem = script.get(signIn(script, start(script, one, "acme"), email));
        assertThat(problem.status()).isEqualTo(403);
        assertThat(problem.body()).contains("\"code\":\"sso_tenant_unmapped\"");
        assertThat(accounts(email)).isZero();
    }

    @Test
    void anEmailTheProviderDidNotVerifyIsRefused() {
        String email = email("fred", "acme.test");
        Browser browser = new Browser(JSON);
        Browser.Page refused = browser.get(signIn(browser, start(browser, one, "acme"), "unverified-" + email));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("\"code\":\"sso_email_unverified\"");
        assertThat(accounts(email)).isZero();
    }

    @Test
    void anAnswerWithATamperedOrMissingStateOrFromAnotherBrowserIsRefused() {
        String email = email("gina", "acme.test");
        Browser browser = new Browser(JSON);
        URI answer = signIn(browser, start(browser, one, "acme"), email);
        String state = query(answer).get("state");

        assertRefused(browser.get(withParameter(answer, "state", state + "x")), "authorization_request_not_found");
        assertRefused(browser.get(withParameter(answer, "state", null)), "authorization_request_not_found");
        assertRefused(new Browser(JSON).get(answer), "authorization_request_not_found");
        assertThat(accounts(email)).isZero();

        // the genuine answer, in the browser that asked, still works; then it is spent
        Browser.Page genuine = browser.get(answer);
        assertThat(genuine.status()).isEqualTo(302);
        exchange(one, code(genuine));
        assertRefused(browser.get(answer), "authorization_request_not_found");
    }

    @Test
    void anIdTokenForAnotherNonceIsRefused() {
        assertRefusedWhenTheBrowserChanges("nonce", "another-nonce", "invalid_nonce");
    }

    @Test
    void anIdTokenFromAnotherIssuerIsRefused() {
        String email = email("ivan", "anywhere.test");
        Browser browser = new Browser(JSON);
        URI authorization = start(browser, one, "mixup");
        assertThat(authorization.toString()).startsWith(idp.issuer("other"));
        assertRefused(browser.get(signIn(browser, authorization, email)), "invalid_id_token");
        assertThat(accounts(email)).isZero();
    }

    @Test
    void theCodeIsBoundToThePkceChallengeOfItsRequest() {
        assertRefusedWhenTheBrowserChanges("code_challenge", "A".repeat(43), "invalid_grant");
    }

    /** A request to the provider that the browser changed on its way there: the sign-on ends refused, no account made. */
    private void assertRefusedWhenTheBrowserChanges(String parameter, String value, String reason) {
        String email = email(parameter.replace('_', '-'), "acme.test");
        Browser browser = new Browser(JSON);
        URI changed = withParameter(start(browser, one, "acme"), parameter, value);
        assertRefused(browser.get(signIn(browser, changed, email)), reason);
        assertThat(accounts(email)).isZero();
    }

    /** docqa's start path: answers the redirect to the provider's authorization endpoint. */
    private static URI start(Browser browser, ServiceInstance instance, String provider) {
        Browser.Page page = browser.get(URI.create("http://127.0.0.1:" + instance.port() + "/oauth2/authorization/" + provider));
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(browser.hasCookie(SsoAuthorizationRequests.COOKIE)).isTrue();
        return page.location();
    }

    /** Signs in at the provider (its login and consent forms); answers where it sends the browser back to docqa. */
    private static URI signIn(Browser browser, URI authorization, String login) {
        Browser.Page page = browser.get(authorization);
        for (int step = 0; step < 20; step++) {
            if (page.isRedirect() && page.location().getPath().startsWith("/login/oauth2/code/")) {
                return page.location();
            }
            page = page.isRedirect() ? browser.get(page.location()) : browser.submit(page, login);
        }
        throw new AssertionError("the provider did not send the browser back: " + page);
    }

    private static String code(Browser.Page answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(302);
        assertThat(answer.location().getPath()).isEqualTo("/");
        String fragment = answer.location().getFragment();
        assertThat(fragment).startsWith("sso_code=");
        return fragment.substring("sso_code=".length());
    }

    private static JsonNode exchange(ServiceInstance instance, String code) {
        return instance.http().post().uri("/api/v1/auth/sso/exchange").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("code", code)).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode me(JsonNode tokens) {
        return http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("access_token").asString())
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static UUID userId(JsonNode tokens) {
        return UUID.fromString(tokens.get("user").get("id").asString());
    }

    private static void assertRefused(Browser.Page page, String reason) {
        assertThat(page.status()).as(page.body()).isEqualTo(401);
        assertThat(page.body()).contains("\"code\":\"sso_failed\"").contains("(" + reason + ")");
    }

    private long accounts(String email) {
        return db.sql("select count(*) as n from users where lower(email) = lower(:email)").bind("email", email)
                .map(row -> row.get("n", Long.class)).one().block();
    }

    private long audited(UUID user, String type) {
        return db.sql("select count(*) as n from audit_events where target_id = :user and action = :type")
                .bind("user", user.toString()).bind("type", type)
                .map(row -> row.get("n", Long.class)).one().block();
    }

    private static String email(String who, String domain) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + domain;
    }

    private static Map<String, String> query(URI uri) {
        return UriComponentsBuilder.fromUri(uri).build().getQueryParams().toSingleValueMap();
    }

    private static URI withParameter(URI uri, String name, String value) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromUri(uri).replaceQueryParam(name);
        if (value != null) {
            builder.queryParam(name, value);
        }
        return builder.build(true).toUri();
    }
}
