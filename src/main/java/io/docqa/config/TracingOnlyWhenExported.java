package io.docqa.config;

import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Spans only where traces are exported: without an OTLP endpoint the OpenTelemetry tracer would still start a span for
 * every request and every Chroma and Ollama call, and make it current (OpenTelemetry's context, the MDC's trace ids)
 * around every Reactor signal, for nobody to read. Micrometer's no-op tracer takes its place then, and the SDK samples
 * nothing (the server observation's handler starts its span through the SDK's tracer); the observations, and so the
 * metrics, stay.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ExemplarsWithTraces.NoTraceExport.class)
class TracingOnlyWhenExported {

    @Bean
    Tracer noTracer() {
        return Tracer.NOOP;
    }

    @Bean
    Sampler noSampling() {
        return Sampler.alwaysOff();
    }
}
