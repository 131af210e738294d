package io.docqa.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;

/** What PostgreSQL's driver and pool raise when the database is away answers 503; a wrong query stays a 500. */
class DatabaseOutageTest {

    @Test
    void lostAndRefusedConnectionsAnswer503WithRetryAfter() {
        for (Throwable outage : new Throwable[] {
                new DataAccessResourceFailureException("Failed to obtain R2DBC Connection",
                        new R2dbcTimeoutException("Connection acquisition timed out after 10000ms")),
                new R2dbcNonTransientResourceException("Cannot exchange messages because the connection is closed"),
                new CannotCreateTransactionException("Could not open R2DBC Connection for transaction",
                        new R2dbcNonTransientResourceException("Connection refused")),
                new IllegalStateException("wrapped", new R2dbcBadGrammarException("terminating connection due to administrator command", "57P01")),
                new R2dbcBadGrammarException("sorry, too many clients already", "53300") }) {
            ApiException problem = Problems.of(outage);
            assertThat(problem.status()).as(outage.toString()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(problem.code()).isEqualTo("database_unavailable");
            assertThat(problem.retryAfter()).isNotNull();
        }
    }

    @Test
    void aQueryThatIsWrongIsNoOutage() {
        assertThat(Problems.of(new R2dbcBadGrammarException("syntax error", "42601")).status())
                .isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(Problems.of(new DataIntegrityViolationException("duplicate key")).status())
                .isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }
}
