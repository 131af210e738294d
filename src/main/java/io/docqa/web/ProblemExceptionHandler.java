package io.docqa.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;
import reactor.core.publisher.Mono;

/** Renders every error, ours or the framework's, as problem+json. Runs before Boot's default error handler. */
@Component
@Order(-2)
class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final ProblemWriter writer;
    private final Refusals refusals;

    ProblemExceptionHandler(ProblemWriter writer, Refusals refusals) {
        this.writer = writer;
        this.refusals = refusals;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (DisconnectedClientHelper.isClientDisconnectedException(error)) {
            log.debug("The client went away during {} {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), error.toString());
            return Mono.empty();
        }
        ApiException problem = Problems.of(error);
        if (error instanceof MethodNotAllowedException notAllowed && !notAllowed.getSupportedMethods().isEmpty()) {
            exchange.getResponse().getHeaders().setAllow(notAllowed.getSupportedMethods());
        }
        if (problem.status().is5xxServerError() && !(error instanceof ApiException)) {
            logServerError(exchange, problem, error);
        }
        refusals.count(problem);
        return writer.write(exchange, problem);
    }

    private static void logServerError(ServerWebExchange exchange, ApiException problem, Throwable error) {
        // error handlers run outside the filters' Reactor context: the request's facts go to the MDC by hand
        try (var ignored = LogContext.open(RequestFacts.of(exchange))) {
            if (problem.code().equals("database_unavailable")) {
                log.warn("Answered 503 on {} {}: the database cannot be used now ({})",
                        exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error.toString());
            } else {
                log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                        error);
            }
        }
    }
}
