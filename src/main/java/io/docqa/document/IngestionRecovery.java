package io.docqa.document;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Resolves ingestions that no instance is running any more (a crash, a kill, work that stopped progressing): only
 * those whose lease expired, so never the live work of another instance. They are marked failed, so the user can
 * upload again, and their vectors are removed (as are those of failed documents that could not be removed at once).
 * Runs at start-up and then periodically, on every instance.
 */
@Component
class IngestionRecovery {

    private static final Logger log = LoggerFactory.getLogger(IngestionRecovery.class);

    private final Documents documents;
    private final DocumentRemoval removal;

    IngestionRecovery(Documents documents, DocumentRemoval removal) {
        this.documents = documents;
        this.removal = removal;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartUp() {
        sweepInBackground();
    }

    @Scheduled(fixedDelayString = "${docqa.documents.recovery-interval:1m}", initialDelayString = "${docqa.documents.recovery-interval:1m}")
    void periodically() {
        sweepInBackground();
    }

    private void sweepInBackground() {
        sweep().subscribe(resolved -> {
            if (resolved > 0) {
                log.info("Recovered {} interrupted ingestions", resolved);
            }
        }, error -> log.warn("Ingestion recovery did not finish: {}", error.toString()));
    }

    /** The number of documents whose vectors were removed. */
    Mono<Long> sweep() {
        return documents.takeOverExpired()
                .thenMany(documents.vectorsPendingRemoval())
                .concatMap(doc -> removal.removeVectors(doc.tenant(), doc.documentId())
                        .then(documents.vectorsRemoved(doc.tenant(), doc.documentId()))
                        .thenReturn(1L)
                        .onErrorResume(error -> Mono.empty()))
                .count();
    }
}
