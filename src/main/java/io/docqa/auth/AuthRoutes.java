package io.docqa.auth;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.limits.RateLimits;
import io.docqa.limits.Rule;
import io.docqa.web.MethodNotAllowed;

@Configuration(proxyBeanMethods = false)
class AuthRoutes {

    @Bean
    RouterFunction<ServerResponse> authRouter(AuthHandler handler, RateLimits limits) {
        return route()
                .POST("/api/v1/auth/signup", limits.perClient(Rule.SIGNUP_PER_CLIENT).apply(handler::signup))
                .POST("/api/v1/auth/login", limits.perClient(Rule.LOGIN_PER_CLIENT).apply(handler::login))
                .POST("/api/v1/auth/refresh", limits.perClient(Rule.REFRESH_PER_CLIENT).apply(handler::refresh))
                .POST("/api/v1/auth/logout", handler::logout)
                .GET("/api/v1/me", handler::me)
                .GET("/.well-known/jwks.json", handler::jwks)
                .add(MethodNotAllowed.on("/api/v1/auth/{action:signup|login|refresh|logout}", POST))
                .add(MethodNotAllowed.on("/api/v1/me", GET))
                .add(MethodNotAllowed.on("/.well-known/jwks.json", GET))
                .build();
    }

    @Bean
    RouterFunction<ServerResponse> ssoRouter(SsoHandler handler, RateLimits limits) {
        return route()
                .GET("/api/v1/auth/providers", handler::providers)
                .POST("/api/v1/auth/sso/exchange", limits.perClient(Rule.LOGIN_PER_CLIENT).apply(handler::exchange))
                .add(MethodNotAllowed.on("/api/v1/auth/providers", GET))
                .add(MethodNotAllowed.on("/api/v1/auth/sso/exchange", POST))
                .build();
    }

    @Bean
    RouterFunction<ServerResponse> userRouter(UserHandler handler) {
        return route()
                .GET("/api/v1/users", handler::list)
                .POST("/api/v1/users", handler::create)
                .PATCH("/api/v1/users/{id}", handler::update)
                .DELETE("/api/v1/users/{id}", handler::delete)
                .add(MethodNotAllowed.on("/api/v1/users", GET, POST))
                .add(MethodNotAllowed.on("/api/v1/users/{id}", PATCH, DELETE))
                .build();
    }

    @Bean
    RouterFunction<ServerResponse> apiKeyRouter(ApiKeyHandler handler) {
        return route()
                .GET("/api/v1/api-keys", handler::list)
                .POST("/api/v1/api-keys", handler::create)
                .DELETE("/api/v1/api-keys/{id}", handler::revoke)
                .add(MethodNotAllowed.on("/api/v1/api-keys", GET, POST))
                .add(MethodNotAllowed.on("/api/v1/api-keys/{id}", DELETE))
                .build();
    }
}
