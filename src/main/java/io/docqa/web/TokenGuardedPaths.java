package io.docqa.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Predicate;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Paths that only a bearer token from configuration opens (metrics scraping, the operator's paths): no access token or
 * API key authenticates there; a request without the token gets what {@code refused} writes.
 */
public final class TokenGuardedPaths {

    private TokenGuardedPaths() {
    }

    public static SecurityWebFilterChain chain(ServerHttpSecurity http, String pathPattern, Predicate<String> accepts,
            ServerAuthenticationEntryPoint refused) {
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers(pathPattern))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(exchanges -> exchanges.anyExchange().access((authentication, context) ->
                        Mono.just(new AuthorizationDecision(accepts.test(bearer(context.getExchange()))))))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(refused))
                .build();
    }

    /** Whether {@code presented} is the configured {@code token} (never when none is configured), in constant time. */
    public static boolean matches(String token, String presented) {
        return token != null && !token.isBlank() && presented != null
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }
}
