package io.docqa.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcTimeoutException;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** A client that went away is no server error, a database outage is a warning, and only the unexpected is an error. */
class ServerErrorLogTest {

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ProblemExceptionHandler.class);
    private final ProblemExceptionHandler handler = new ProblemExceptionHandler(
            new ProblemWriter(JsonMapper.builder().build(),
                    new DefaultListableBeanFactory().getBeanProvider(ErrorShape.class)),
            new Refusals(new SimpleMeterRegistry()));

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    @Test
    void aConnectionResetByTheClientWritesNothingAndLogsNoError() {
        MockServerWebExchange exchange = upload();
        handler.handle(exchange, new IOException("recvAddress(..) failed with error(-104): Connection reset by peer")).as(StepVerifier::create)
                .verifyComplete();
        assertThat(exchange.getResponse().getStatusCode()).isNull();
        assertThat(logged.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
    }

    @Test
    void aDatabaseOutageIsOneWarningLineWithoutAStackTrace() {
        MockServerWebExchange exchange = upload();
        handler.handle(exchange, new DataAccessResourceFailureException("Failed to obtain R2DBC Connection",
                new R2dbcTimeoutException("Connection acquisition timed out"))).as(StepVerifier::create).verifyComplete();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getThrowableProxy()).isNull();
        });
    }

    @Test
    void anUnexpectedFailureIsAnErrorWithItsStackTrace() {
        MockServerWebExchange exchange = upload();
        handler.handle(exchange, new IllegalStateException("bug")).as(StepVerifier::create).verifyComplete();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getThrowableProxy()).isNotNull();
        });
    }

    private static MockServerWebExchange upload() {
        return MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/documents"));
    }
}
