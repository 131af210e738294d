package io.docqa.chat;

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
class ChatRoutes {

    @Bean
    RouterFunction<ServerResponse> chatRouter(ChatHandler chat, ConversationHandler conversations, OpenAiHandler openAi,
            SettingsHandler settings, RateLimits limits) {
        return route()
                .POST("/api/v1/chat", limits.perCaller(Rule.CHAT_PER_CALLER, Rule.CHAT_PER_TENANT).apply(chat::chat))
                .POST("/v1/chat/completions", limits.perCaller(Rule.CHAT_PER_CALLER, Rule.CHAT_PER_TENANT).apply(openAi::completions))
                .GET("/v1/models", openAi::models)
                .GET("/v1/models/{model}", openAi::model)
                .GET("/api/v1/conversations", conversations::list)
                .GET("/api/v1/conversations/{id}", conversations::get)
                .DELETE("/api/v1/conversations/{id}", conversations::delete)
                .GET("/api/v1/tenant/settings", settings::get)
                .PATCH("/api/v1/tenant/settings", settings::change)
                .add(MethodNotAllowed.on("/api/v1/chat", POST))
                .add(MethodNotAllowed.on("/api/v1/conversations", GET))
                .add(MethodNotAllowed.on("/api/v1/conversations/{id}", GET, DELETE))
                .add(MethodNotAllowed.on("/api/v1/tenant/settings", GET, PATCH))
                .add(MethodNotAllowed.on("/v1/chat/completions", POST))
                .add(MethodNotAllowed.on("/v1/models", GET))
                .add(MethodNotAllowed.on("/v1/models/{model}", GET))
                .build();
    }
}
