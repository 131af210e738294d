package io.docqa.tenant;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deletes audit events older than the retention, periodically on every instance. Safe with several: each batch skips
 * the rows another instance is deleting ({@code for update skip locked}), and deleting what is already gone is nothing.
 */
@Component
class AuditRetention {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditEvents events;
    private final AuditProperties properties;

    AuditRetention(AuditEvents events, AuditProperties properties) {
        this.events = events;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${docqa.audit.purge-interval:1h}", initialDelayString = "${docqa.audit.purge-interval:1h}")
    void periodically() {
        purge().subscribe(purged -> {
            if (purged > 0) {
                log.info("Purged {} audit events older than {}", purged, properties.retention());
            }
        }, error -> log.warn("Audit retention purge did not finish: {}", error.toString()));
    }

    /** The number of events deleted. */
    Mono<Long> purge() {
        Instant cutoff = Instant.now().minus(properties.retention());
        return purgeFrom(cutoff, 0L);
    }

    private Mono<Long> purgeFrom(Instant cutoff, long sofar) {
        return events.purgeBatch(cutoff, properties.purgeBatchSize())
                .flatMap(deleted -> deleted < properties.purgeBatchSize()
                        ? Mono.just(sofar + deleted)
                        : purgeFrom(cutoff, sofar + deleted));
    }
}
