package io.docqa.tenant;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.web.MethodNotAllowed;

@Configuration(proxyBeanMethods = false)
class TenantRoutes {

    @Bean
    RouterFunction<ServerResponse> tenantRouter(TenantHandler handler, AuditEventHandler audit) {
        return route()
                .GET("/api/v1/tenant", handler::get)
                .DELETE("/api/v1/tenant", handler::delete)
                .GET("/api/v1/audit-events", audit::list)
                .add(MethodNotAllowed.on("/api/v1/tenant", GET, DELETE))
                .add(MethodNotAllowed.on("/api/v1/audit-events", GET))
                .build();
    }
}
