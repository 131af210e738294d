package io.docqa.config;

import java.util.function.Supplier;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import io.docqa.ai.Embedder;
import io.docqa.ai.OllamaChat;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.limits.RedisStore;
import reactor.core.publisher.Mono;

/**
 * Readiness covers the vector store, the model server, the in-process embedding model and the Redis of the rate limits
 * besides PostgreSQL. A model
 * server that is not required and does not answer is {@code UNKNOWN}: the service still answers (with the passages
 * found), so it stays ready.
 */
@Configuration(proxyBeanMethods = false)
class DependencyHealth {

    @Bean
    ReactiveHealthIndicator chromaHealthIndicator(TenantVectorIndex index) {
        return upWhen(index::isAvailable);
    }

    @Bean
    ReactiveHealthIndicator ollamaHealthIndicator(OllamaChat model) {
        return () -> model.isAvailable().map(up -> up ? Health.up().build()
                : model.required() ? Health.down().build() : Health.unknown().build());
    }

    @Bean
    ReactiveHealthIndicator embedderHealthIndicator(Embedder embedder) {
        return upWhen(embedder::isAvailable);
    }

    @Bean
    ReactiveHealthIndicator redisHealthIndicator(RedisStore redis) {
        return upWhen(redis::isAvailable);
    }

    private static ReactiveHealthIndicator upWhen(Supplier<Mono<Boolean>> available) {
        return () -> available.get().map(up -> up ? Health.up().build() : Health.down().build());
    }
}
