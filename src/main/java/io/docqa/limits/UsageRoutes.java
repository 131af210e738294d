package io.docqa.limits;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.web.MethodNotAllowed;

@Configuration(proxyBeanMethods = false)
class UsageRoutes {

    @Bean
    RouterFunction<ServerResponse> usageRouter(UsageHandler handler) {
        return route()
                .GET("/api/v1/usage", handler::usage)
                .add(MethodNotAllowed.on("/api/v1/usage", GET))
                .build();
    }
}
