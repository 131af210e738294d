package io.docqa.document;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
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
class DocumentRoutes {

    @Bean
    RouterFunction<ServerResponse> documentRouter(DocumentHandler handler, RateLimits limits) {
        return route()
                .POST("/api/v1/documents", limits.perCaller(Rule.UPLOAD_PER_CALLER, Rule.UPLOAD_PER_TENANT).apply(handler::upload))
                .GET("/api/v1/documents", handler::list)
                .GET("/api/v1/documents/{id}", handler::get)
                .GET("/api/v1/documents/{id}/chunks", handler::chunks)
                .DELETE("/api/v1/documents/{id}", handler::delete)
                .add(MethodNotAllowed.on("/api/v1/documents", GET, POST))
                .add(MethodNotAllowed.on("/api/v1/documents/{id}", GET, DELETE))
                .add(MethodNotAllowed.on("/api/v1/documents/{id}/chunks", GET))
                .build();
    }
}
