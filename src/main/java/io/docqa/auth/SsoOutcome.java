package io.docqa.auth;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import io.docqa.web.ApiException;
import io.docqa.web.ProblemWriter;
import reactor.core.publisher.Mono;

/**
 * How the provider's answer ends in the browser: back to the page with a one-time code in the URL fragment (never
 * a token in a URL), or with the reason of a refusal there; a client that does not ask for HTML gets the refusal as a
 * problem.
 */
@Component
class SsoOutcome implements ServerAuthenticationSuccessHandler, ServerAuthenticationFailureHandler {

    private final SsoSignIn signIn;
    private final ProblemWriter problems;

    SsoOutcome(SsoSignIn signIn, ProblemWriter problems) {
        this.signIn = signIn;
        this.problems = problems;
    }

    @Override
    public Mono<Void> onAuthenticationSuccess(WebFilterExchange filterExchange, Authentication authentication) {
        ServerWebExchange exchange = filterExchange.getExchange();
        if (!(authentication instanceof OAuth2AuthenticationToken token) || !(token.getPrincipal() instanceof OidcUser person)) {
            return refuse(exchange, new ApiException(HttpStatus.UNAUTHORIZED, "sso_failed", "The provider did not sign in with OpenID Connect"));
        }
        return signIn.complete(token.getAuthorizedClientRegistrationId(), person)
                .flatMap(code -> redirect(exchange, "/#sso_code=" + code))
                .onErrorResume(ApiException.class, e -> e.status().is4xxClientError() ? refuse(exchange, e) : Mono.error(e));
    }

    @Override
    public Mono<Void> onAuthenticationFailure(WebFilterExchange filterExchange, AuthenticationException failure) {
        ServerWebExchange exchange = filterExchange.getExchange();
        String reason = failure instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode() : "authentication_failed";
        String path = exchange.getRequest().getPath().value();
        return signIn.failed(path.substring(path.lastIndexOf('/') + 1), reason)
                .then(refuse(exchange, new ApiException(HttpStatus.UNAUTHORIZED, "sso_failed",
                        "The sign-in through the identity provider was refused (" + reason + ")")));
    }

    private Mono<Void> refuse(ServerWebExchange exchange, ApiException refusal) {
        List<MediaType> accepted = exchange.getRequest().getHeaders().getAccept();
        boolean page = accepted.stream().anyMatch(type -> type.isCompatibleWith(MediaType.TEXT_HTML) && !type.isWildcardType());
        return page ? redirect(exchange, "/#sso_error=" + refusal.code()) : problems.write(exchange, refusal);
    }

    private static Mono<Void> redirect(ServerWebExchange exchange, String location) {
        exchange.getResponse().setStatusCode(HttpStatus.FOUND);
        exchange.getResponse().getHeaders().setLocation(URI.create(location));
        exchange.getResponse().getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
        return exchange.getResponse().setComplete();
    }
}
