package io.docqa.document;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.docqa.ai.IndexGeneration;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * This instance's hold on one ingesting document. The work reports progress; {@link IngestionLeases} renews the lease
 * in PostgreSQL while there is progress, and takes it away when it expired or another instance took the document over.
 * The work then stops: at once while it reads bytes, at its next step once it parses, embeds and stores.
 */
final class IngestionLease {

    private final TenantId tenant;
    private final Document document;
    private final IndexGeneration generation;
    private final long bytesReservedAtStart;
    private final Sinks.One<ApiException> lost = Sinks.one();
    private final Sinks.Empty<Void> released = Sinks.empty();
    private final AtomicBoolean progressed = new AtomicBoolean();
    private volatile long expiresAtNanos;
    private volatile ApiException failure;

    IngestionLease(TenantId tenant, Document document, IndexGeneration generation, long bytesReservedAtStart, long expiresAtNanos) {
        this.tenant = tenant;
        this.document = document;
        this.generation = generation;
        this.bytesReservedAtStart = bytesReservedAtStart;
        this.expiresAtNanos = expiresAtNanos;
    }

    TenantId tenant() {
        return tenant;
    }

    Document document() {
        return document;
    }

    /** The generation of the tenant's index the document's vectors go to. */
    IndexGeneration generation() {
        return generation;
    }

    UUID documentId() {
        return document.id();
    }

    /** The tenant's bytes the document had reserved when its row was made. */
    long bytesReservedAtStart() {
        return bytesReservedAtStart;
    }

    /** Bytes were read, text parsed or chunks embedded. */
    void progressed() {
        progressed.set(true);
    }

    /** Whether there was progress since the last call. */
    boolean takeProgress() {
        return progressed.getAndSet(false);
    }

    void renewedUntil(long nanos) {
        expiresAtNanos = nanos;
    }

    boolean expiredAt(long nanos) {
        return nanos - expiresAtNanos > 0;
    }

    /** The work is to stop with this problem (the first one given counts). */
    void lose(ApiException problem) {
        if (failure == null) {
            failure = problem;
            lost.tryEmitValue(problem);
        }
    }

    boolean isLost() {
        return failure != null;
    }

    /** Empty while the lease is held, else the problem the work stops with. */
    Mono<Void> check() {
        return Mono.defer(() -> failure == null ? Mono.empty() : Mono.error(failure));
    }

    /** Passes the items of {@code work}, counting each as progress, and fails the moment the lease is lost. */
    <T> Flux<T> whileHeld(Flux<T> work) {
        return work.doOnNext(item -> progressed.set(true))
                .takeUntilOther(lost.asMono())
                .concatWith(check().then(Mono.empty()));
    }

    void release() {
        released.tryEmitEmpty();
    }

    Mono<Void> released() {
        return released.asMono();
    }
}
