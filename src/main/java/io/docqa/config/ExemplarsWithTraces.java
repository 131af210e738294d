package io.docqa.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;
import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * Prometheus exemplars (a trace id beside a histogram bucket or a count) only where traces are exported: without an
 * OTLP endpoint they would name traces that exist nowhere, and a Prometheus before 2.43 (Debian 12 ships 2.42) refuses
 * the whole scrape when a {@code _count} carries one. This takes the place of Spring Boot's exemplar source then.
 */
@Configuration(proxyBeanMethods = false)
class ExemplarsWithTraces {

    static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

    @Bean
    @Conditional(NoTraceExport.class)
    SpanContext noExemplars() {
        return new SpanContext() {

            @Override
            public String getCurrentTraceId() {
                return null;
            }

            @Override
            public String getCurrentSpanId() {
                return null;
            }

            @Override
            public boolean isCurrentSpanSampled() {
                return false;
            }

            @Override
            public void markCurrentSpanAsExemplar() {
            }
        };
    }

    static final class NoTraceExport implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty(ENDPOINT));
        }
    }
}
