package io.docqa.auth;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeReactiveAuthenticationManager;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.userinfo.DefaultReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Sign-on through OpenID Connect providers with Spring Security's reactive OAuth2 login, on its own two paths:
 * {@code /oauth2/authorization/{id}} sends the browser to the provider (authorization code with PKCE, a state and a
 * nonce), {@code /login/oauth2/code/{id}} takes its answer. Nothing is kept in a web session: started sign-ins are in
 * PostgreSQL ({@link SsoAuthorizationRequests}), and the provider's own tokens are dropped once the person is known.
 */
@Configuration(proxyBeanMethods = false)
class SsoSecurityConfig {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityWebFilterChain ssoFilterChain(ServerHttpSecurity http, SsoClientRegistrations registrations,
            SsoAuthorizationRequests requests, SsoOutcome outcome, SsoProperties properties) {
        DefaultServerOAuth2AuthorizationRequestResolver resolver = new DefaultServerOAuth2AuthorizationRequestResolver(registrations);
        resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        // Spring's own, with the provider's token and userinfo endpoints called under the provider timeout
        WebClient providers = SsoClientRegistrations.providerClient(properties);
        WebClientReactiveAuthorizationCodeTokenResponseClient tokens = new WebClientReactiveAuthorizationCodeTokenResponseClient();
        tokens.setWebClient(providers);
        DefaultReactiveOAuth2UserService userInfo = new DefaultReactiveOAuth2UserService();
        userInfo.setWebClient(providers);
        OidcReactiveOAuth2UserService people = new OidcReactiveOAuth2UserService();
        people.setOauth2UserService(userInfo);
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/oauth2/authorization/*", "/login/oauth2/code/*"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
                .oauth2Login(login -> login
                        .clientRegistrationRepository(registrations)
                        .authenticationManager(new OidcAuthorizationCodeReactiveAuthenticationManager(tokens, people))
                        .authorizationRequestResolver(resolver)
                        .authorizationRequestRepository(requests)
                        .authorizedClientRepository(new NoAuthorizedClients())
                        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                        .authenticationSuccessHandler(outcome)
                        .authenticationFailureHandler(outcome)
                        .loginPage("/"))
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .build();
    }

    /** docqa calls no API with the provider's tokens: they are not kept (Spring's default keeps them in memory). */
    private static final class NoAuthorizedClients implements ServerOAuth2AuthorizedClientRepository {

        @Override
        public <T extends OAuth2AuthorizedClient> Mono<T> loadAuthorizedClient(String registrationId,
                Authentication principal, ServerWebExchange exchange) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> saveAuthorizedClient(OAuth2AuthorizedClient client, Authentication principal,
                ServerWebExchange exchange) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> removeAuthorizedClient(String registrationId, Authentication principal,
                ServerWebExchange exchange) {
            return Mono.empty();
        }
    }
}
