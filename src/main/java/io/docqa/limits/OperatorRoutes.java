package io.docqa.limits;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PUT;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.web.MethodNotAllowed;

/** The operator's paths (see {@link OperatorSecurity}), apart from the tenants' API under {@code /api}. */
@Configuration(proxyBeanMethods = false)
class OperatorRoutes {

    private static final String QUOTAS = "/operator/v1/tenants/{tenant}/quotas";

    @Bean
    RouterFunction<ServerResponse> operatorRouter(OperatorHandler handler) {
        return route()
                .GET(QUOTAS, handler::quotas)
                .PUT(QUOTAS + "/{quota}", handler::set)
                .DELETE(QUOTAS + "/{quota}", handler::remove)
                .add(MethodNotAllowed.on(QUOTAS, GET))
                .add(MethodNotAllowed.on(QUOTAS + "/{quota}", PUT, DELETE))
                .build();
    }
}
