package io.docqa.auth;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import io.docqa.tenant.Caller;
import reactor.core.publisher.Mono;

/**
 * Turns {@code Authorization: Bearer ...} into a {@link Caller}: an API key ({@code dq_...}) or an access token.
 * For a token, the user is read again so that a disabled or deleted user, or a changed role, counts at once — or
 * taken from the {@link CallerCache}, which every such change empties.
 */
@Component
class BearerAuthentication implements ServerAuthenticationConverter, ReactiveAuthenticationManager {

    private static final String SCHEME = "bearer ";
    private static final int MAX_TOKEN_LENGTH = 4096;

    private final AccessTokens accessTokens;
    private final ApiKeys apiKeys;
    private final Users users;
    private final CallerCache cache;

    BearerAuthentication(AccessTokens accessTokens, ApiKeys apiKeys, Users users, CallerCache cache) {
        this.accessTokens = accessTokens;
        this.apiKeys = apiKeys;
        this.users = users;
        this.cache = cache;
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Mono.empty();
        }
        String token = header.substring(SCHEME.length()).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Mono.error(new BadCredentialsException("malformed bearer token"));
        }
        return Mono.just(new BearerToken(token));
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        BearerToken bearer = (BearerToken) authentication;
        String token = bearer.token();
        Mono<Caller> caller = cache.caller(token, Mono.defer(() -> bearer.isApiKey() ? apiKeys.authenticate(token) : fromAccessToken(token)));
        return caller.<Authentication>map(CallerAuthentication::new)
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException("invalid bearer token")));
    }

    private Mono<CallerCache.Found> fromAccessToken(String token) {
        return accessTokens.verify(token)
                .flatMap(claims -> users.find(claims.tenantId(), claims.userId())
                        .filter(user -> !user.disabled())
                        .map(user -> new CallerCache.Found(Caller.user(user.tenantId(), user.id(), user.role()), claims.expiresAt())));
    }
}
