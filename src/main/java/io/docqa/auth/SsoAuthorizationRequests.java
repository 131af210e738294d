package io.docqa.auth;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.oauth2.client.web.server.ServerAuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Started sign-ins in PostgreSQL instead of a web session, so the provider's answer may land on any instance. Each is
 * bound to the browser that started it by a random HttpOnly cookie (only its hash is stored) and found by that and the
 * {@code state} the answer carries; it is deleted when found, so a state is spent once. A missing or tampered state, or
 * another browser, finds nothing and Spring Security refuses the answer.
 */
@Component
class SsoAuthorizationRequests implements ServerAuthorizationRequestRepository<OAuth2AuthorizationRequest> {

    static final String COOKIE = "DOCQA_SSO";

    private final DatabaseClient db;
    private final JsonMapper json;
    private final Duration ttl;

    SsoAuthorizationRequests(DatabaseClient db, JsonMapper json, SsoProperties properties) {
        this.db = db;
        this.json = json;
        this.ttl = properties.requestTtl();
    }

    @Override
    public Mono<Void> saveAuthorizationRequest(OAuth2AuthorizationRequest request, ServerWebExchange exchange) {
        if (request == null) {
            return removeAuthorizationRequest(exchange).then();
        }
        String browser = browserOf(exchange);
        if (browser == null) {
            browser = SecretTokens.random("");
        }
        exchange.getResponse().addCookie(ResponseCookie.from(COOKIE, browser)
                .httpOnly(true)
                .secure("https".equals(exchange.getRequest().getURI().getScheme()))
                .sameSite("Lax")
                .path("/")
                .maxAge(ttl)
                .build());
        return db.sql("delete from sso_authorization_requests where expires_at < now()").then()
                .then(db.sql("""
                                insert into sso_authorization_requests (browser_hash, state, request, expires_at)
                                values (:browser, :state, :request, now() + make_interval(secs => :ttl))
                                """)
                        .bind("browser", SecretTokens.hash(browser))
                        .bind("state", request.getState())
                        .bind("request", json.writeValueAsString(Stored.of(request)))
                        .bind("ttl", (double) ttl.toSeconds())
                        .then());
    }

    @Override
    public Mono<OAuth2AuthorizationRequest> loadAuthorizationRequest(ServerWebExchange exchange) {
        return find(exchange, "select request from sso_authorization_requests "
                + "where browser_hash = :browser and state = :state and expires_at > now()");
    }

    @Override
    public Mono<OAuth2AuthorizationRequest> removeAuthorizationRequest(ServerWebExchange exchange) {
        return find(exchange, "delete from sso_authorization_requests "
                + "where browser_hash = :browser and state = :state and expires_at > now() returning request");
    }

    private Mono<OAuth2AuthorizationRequest> find(ServerWebExchange exchange, String sql) {
        String browser = browserOf(exchange);
        String state = exchange.getRequest().getQueryParams().getFirst(OAuth2ParameterNames.STATE);
        if (browser == null || state == null) {
            return Mono.empty();
        }
        return db.sql(sql)
                .bind("browser", SecretTokens.hash(browser))
                .bind("state", state)
                .map(row -> row.get("request", String.class))
                .one()
                .map(stored -> json.readValue(stored, Stored.class).toRequest());
    }

    private static String browserOf(ServerWebExchange exchange) {
        HttpCookie cookie = exchange.getRequest().getCookies().getFirst(COOKIE);
        return cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
    }

    /** What Spring Security needs back of an authorization request: the nonce and PKCE verifier are attributes. */
    record Stored(String authorizationUri, String clientId, String redirectUri, List<String> scopes, String state,
            Map<String, Object> additionalParameters, Map<String, Object> attributes, String authorizationRequestUri) {

        static Stored of(OAuth2AuthorizationRequest request) {
            return new Stored(request.getAuthorizationUri(), request.getClientId(), request.getRedirectUri(),
                    List.copyOf(request.getScopes()), request.getState(), request.getAdditionalParameters(),
                    request.getAttributes(), request.getAuthorizationRequestUri());
        }

        OAuth2AuthorizationRequest toRequest() {
            return OAuth2AuthorizationRequest.authorizationCode()
                    .authorizationUri(authorizationUri)
                    .clientId(clientId)
                    .redirectUri(redirectUri)
                    .scopes(new LinkedHashSet<>(scopes))
                    .state(state)
                    .additionalParameters(additionalParameters)
                    .attributes(attributes)
                    .authorizationRequestUri(authorizationRequestUri)
                    .build();
        }

        @Override
        public String toString() {
            return "Stored[clientId=" + clientId + ", " + Secrets.HIDDEN + "]";
        }
    }
}
