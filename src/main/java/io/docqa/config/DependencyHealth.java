package io.docqa.config;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import io.docqa.ai.OllamaChat;
import io.docqa.ai.TenantVectorIndex;

/**
 * Readiness covers the vector store and the model server besides PostgreSQL. A model server that is not required and
 * does not answer is {@code UNKNOWN}: the service still answers (with the passages found), so it stays ready.
 */
@Configuration(proxyBeanMethods = false)
class DependencyHealth {

    @Bean
    ReactiveHealthIndicator chromaHealthIndicator(TenantVectorIndex index) {
        return () -> index.isAvailable().map(up -> up ? Health.up().build() : Health.down().build());
    }

    @Bean
    ReactiveHealthIndicator ollamaHealthIndicator(OllamaChat model) {
        return () -> model.isAvailable().map(up -> up ? Health.up().build()
                : model.required() ? Health.down().build() : Health.unknown().build());
    }
}
