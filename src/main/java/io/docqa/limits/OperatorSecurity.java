package io.docqa.limits;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import io.docqa.web.ApiException;
import io.docqa.web.ProblemWriter;
import io.docqa.web.TokenGuardedPaths;

/**
 * {@code /operator/**} is for the people who run the service, not for tenants: only the bearer token
 * {@code docqa.operator.token} passes (no access token or API key does); without one configured the paths answer 404.
 */
@Configuration(proxyBeanMethods = false)
class OperatorSecurity {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityWebFilterChain operatorFilterChain(ServerHttpSecurity http, OperatorProperties operator, ProblemWriter problems) {
        return TokenGuardedPaths.chain(http, "/operator/**", operator::accepts, (exchange, error) -> {
            if (!operator.enabled()) {
                return problems.write(exchange, new ApiException(HttpStatus.NOT_FOUND, "not_found", "No resource at this path"));
            }
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"operator\"");
            return problems.write(exchange, new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized",
                    "The operator's paths need the operator token (docqa.operator.token)"));
        });
    }
}
