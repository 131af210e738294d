package io.docqa.web.docs;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.nio.charset.StandardCharsets;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** The browser chat page at {@code /}, the API explorer at {@code /docs} and the API description it shows. */
@Configuration(proxyBeanMethods = false)
class PageRoutes {

    static final String API_DOCS = "/v3/api-docs";

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);
    private static final Resource CHAT_PAGE = new ClassPathResource("static/index.html");
    private static final Resource EXPLORER_PAGE = new ClassPathResource("openapi/docs.html");

    @Bean
    RouterFunction<ServerResponse> pageRouter(ApiDescription description) {
        return route()
                .GET("/", request -> html(CHAT_PAGE))
                .GET("/docs", request -> html(EXPLORER_PAGE))
                .GET(API_DOCS, request -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .cacheControl(CacheControl.noCache())
                        .bodyValue(description.json()))
                .build();
    }

    private static Mono<ServerResponse> html(Resource page) {
        return ServerResponse.ok().contentType(HTML).cacheControl(CacheControl.noCache()).bodyValue(page);
    }
}
