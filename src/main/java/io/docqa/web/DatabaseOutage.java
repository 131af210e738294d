package io.docqa.web;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether an error says that PostgreSQL cannot be reached or used now (refused or lost connections, a pool that cannot
 * hand out a connection in time, a server shutting down or out of connections), rather than that a query is wrong.
 */
final class DatabaseOutage {

    private DatabaseOutage() {
    }

    static boolean is(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessResourceException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof R2dbcNonTransientResourceException || t instanceof R2dbcTransientResourceException
                    || t instanceof R2dbcTimeoutException
                    || t instanceof R2dbcException r2dbc && unavailableState(r2dbc.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    /** SQLSTATE 08 (connection exception), 53 (insufficient resources), 57P01-57P03 (shutdown, cannot connect now). */
    private static boolean unavailableState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.matches("57P0[1-3]"));
    }
}
