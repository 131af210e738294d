package io.docqa.auth;

import org.springframework.http.HttpStatus;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.CorsProcessor;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import io.docqa.web.ApiException;
import io.docqa.web.ProblemWriter;
import reactor.core.publisher.Mono;

/** Spring's {@code CorsWebFilter}, except that an origin it refuses gets a 403 problem rather than an empty body. */
final class ProblemCorsFilter implements WebFilter {

    private final CorsConfigurationSource source;
    private final CorsProcessor processor = new DefaultCorsProcessor();
    private final ProblemWriter problems;

    ProblemCorsFilter(CorsConfigurationSource source, ProblemWriter problems) {
        this.source = source;
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!processor.process(source.getCorsConfiguration(exchange), exchange)) {
            return problems.write(exchange, new ApiException(HttpStatus.FORBIDDEN, "cors_rejected",
                    "This origin, method or header is not allowed to call the API from a browser"));
        }
        return CorsUtils.isPreFlightRequest(exchange.getRequest()) ? Mono.empty() : chain.filter(exchange);
    }
}
