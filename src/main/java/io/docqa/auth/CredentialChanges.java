package io.docqa.auth;

import java.time.Duration;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Listens on PostgreSQL's channel {@code docqa_credentials} (see migration V30) over a connection of its own, outside
 * the pool, and empties the {@link CallerCache} on every notification, whichever instance made the change. While the
 * connection is not listening, notifications could be missed: the cache is then emptied and bypassed until it listens
 * again (reconnecting with backoff).
 */
@Component
class CredentialChanges {

    static final String CHANNEL = "docqa_credentials";
    private static final Logger log = LoggerFactory.getLogger(CredentialChanges.class);

    private final ConnectionFactory connections;
    private final CallerCache cache;
    private volatile Disposable listening;

    CredentialChanges(ConnectionFactory connections, CallerCache cache) {
        this.connections = connections instanceof Wrapped<?> pool && pool.unwrap() instanceof ConnectionFactory unpooled
                ? unpooled : connections;
        this.cache = cache;
    }

    @EventListener(ApplicationReadyEvent.class)
    void listen() {
        if (cache.enabled()) {
            listening = listenOnce().retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(5)))
                    .subscribe(null, error -> log.error("Stopped listening for credential changes; the caller cache stays off", error));
        }
    }

    /** One connection's life: LISTEN, then every notification until the connection ends, which is an error to retry. */
    private Mono<Void> listenOnce() {
        return Mono.usingWhen(Mono.from(connections.create()).cast(PostgresqlConnection.class),
                        connection -> connection.createStatement("LISTEN " + CHANNEL).execute()
                                .flatMap(PostgresqlResult::getRowsUpdated)
                                .then(Mono.fromRunnable(cache::listening))
                                .thenMany(connection.getNotifications())
                                .doOnNext(notification -> cache.invalidateAll())
                                .then(Mono.error(new IllegalStateException("the listening connection ended"))),
                        connection -> Mono.from(connection.close()))
                .doOnError(error -> {
                    cache.notListening();
                    log.warn("Not listening for credential changes ({}); the caller cache is off until it does", error.toString());
                })
                .then();
    }

    @PreDestroy
    void stop() {
        Disposable current = listening;
        if (current != null) {
            current.dispose();
        }
        cache.notListening();
    }
}
