package io.docqa.auth;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ServerWebExchange;
import io.docqa.web.ApiException;
import io.docqa.web.ProblemWriter;
import io.docqa.web.TokenGuardedPaths;
import reactor.core.publisher.Mono;

/** Stateless bearer security; role rules by path, finer rules (who may grant which role) in the services. */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    /** Metrics only for a scraper that presents the configured token; a 401 problem for everyone else. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain metricsFilterChain(ServerHttpSecurity http, MetricsScrapeProperties scrape, ProblemWriter problems) {
        return TokenGuardedPaths.chain(http, "/actuator/prometheus", scrape::accepts, (exchange, error) -> {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"");
            return problems.write(exchange, new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized",
                    "Metrics need the scrape token (docqa.metrics.scrape-token)"));
        });
    }

    /**
     * Bearer tokens, not cookies: no credentials mode; without configured origins no CORS header is ever sent. A
     * refused origin gets a 403 problem.
     */
    private static ServerHttpSecurity withCors(ServerHttpSecurity http, CorsProperties cors, ProblemWriter problems) {
        http.cors(ServerHttpSecurity.CorsSpec::disable);
        if (!cors.allowedOrigins().isEmpty()) {
            UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
            source.registerCorsConfiguration("/api/**", cors.configuration());
            source.registerCorsConfiguration("/v1/**", cors.configuration());
            http.addFilterAt(new ProblemCorsFilter(source, problems), SecurityWebFiltersOrder.CORS);
        }
        return http;
    }

    @Bean
    SecurityWebFilterChain securityFilterChain(ServerHttpSecurity http, BearerAuthentication bearer, ProblemWriter problems,
            CorsProperties cors) {
        AuthenticationWebFilter authentication = new AuthenticationWebFilter(bearer);
        authentication.setServerAuthenticationConverter(bearer);
        authentication.setAuthenticationFailureHandler((exchange, error) -> unauthorized(problems, exchange.getExchange(), error));
        authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        authentication.setAuthenticationSuccessHandler(new CallerLogContext());

        return withCors(http, cors, problems)
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(org.springframework.security.web.server.savedrequest.NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                // no inline script or style on any page (Swagger UI at /docs included), nothing from other origins
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; script-src 'self'; "
                                + "style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                                + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
                .addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION)
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((exchange, error) -> unauthorized(problems, exchange, error))
                        .accessDeniedHandler((exchange, denied) -> problems.write(exchange,
                                ApiException.forbidden("Your role does not allow this"))))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(POST, "/api/v1/auth/signup", "/api/v1/auth/login", "/api/v1/auth/refresh",
                                "/api/v1/auth/logout").permitAll()
                        .pathMatchers("/api/v1/auth/**").permitAll()
                        .pathMatchers(DELETE, "/api/v1/tenant").hasRole("OWNER")
                        .pathMatchers("/api/v1/users", "/api/v1/users/**", "/api/v1/api-keys", "/api/v1/api-keys/**").hasRole("ADMIN")
                        .pathMatchers("/api/v1/audit-events").hasRole("ADMIN")
                        .pathMatchers(PATCH, "/api/v1/tenant/settings").hasRole("ADMIN")
                        .pathMatchers(POST, "/api/v1/documents", "/api/v1/documents/**").hasRole("MEMBER")
                        .pathMatchers(DELETE, "/api/v1/documents/**").hasRole("MEMBER")
                        .pathMatchers(GET, "/api/**").hasRole("VIEWER")
                        .pathMatchers("/api/**").hasRole("VIEWER")
                        .pathMatchers("/v1/**").hasRole("VIEWER")
                        .anyExchange().permitAll())
                .build();
    }

    private static Mono<Void> unauthorized(ProblemWriter problems, ServerWebExchange exchange, AuthenticationException error) {
        boolean presented = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                presented ? "Bearer error=\"invalid_token\"" : "Bearer");
        return problems.write(exchange, new ApiException(HttpStatus.UNAUTHORIZED, presented ? "invalid_token" : "unauthorized",
                presented ? "The bearer token is invalid, expired or revoked" : "Authentication is required"));
    }
}
