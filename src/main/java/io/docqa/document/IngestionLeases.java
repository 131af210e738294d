package io.docqa.document;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The ingestions this instance runs, each holding a lease on its document in PostgreSQL ({@code owner_instance},
 * {@code lease_expires_at}). A heartbeat every quarter lease renews, in one statement, the leases whose work made
 * progress since the beat before; a lease that was not renewed in time, or that PostgreSQL no longer gives to this
 * instance (another instance's {@link IngestionRecovery} took the document over, or it was deleted), is lost and its
 * work stops. When the service stops, after the web server, every ingestion still running here is failed with a reason.
 */
@Component
public class IngestionLeases implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IngestionLeases.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final Documents documents;
    private final StorageQuota quota;
    private final IndexGenerations generations;
    private final Duration lease;
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<UUID, IngestionLease> held = new ConcurrentHashMap<>();
    private volatile Disposable heartbeat;

    IngestionLeases(Documents documents, StorageQuota quota, DocumentProperties properties, IndexGenerations generations) {
        this.documents = documents;
        this.generations = generations;
        this.quota = quota;
        this.lease = properties.ingestionLease();
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("docqa.documents.ingestion-lease must be at least 1s, not " + lease);
        }
    }

    String instance() {
        return instance;
    }

    Duration duration() {
        return lease;
    }

    /**
     * Starts an ingesting document owned by this instance, its lease running from now, in the tenant's active index
     * generation, and its first bytes reserved within {@code maxBytes}; refused with {@code quota_exceeded} when the
     * tenant has {@code maxDocuments} already ({@code -1}: no limit).
     */
    Mono<IngestionLease> start(TenantId tenant, String filename, String contentType, long maxDocuments, long maxBytes) {
        return Mono.defer(() -> {
            long from = System.nanoTime();
            return quota.startDocument(tenant, maxDocuments, maxBytes, reserved -> documents
                            .start(tenant, filename, contentType, instance, lease, generations.configured().id(), reserved)
                            .map(started -> new IngestionLease(tenant, started.document(), generations.parse(started.generation()),
                                    reserved, from + lease.toNanos())))
                    .map(taken -> {
                        held.put(taken.documentId(), taken);
                        return taken;
                    });
        });
    }

    void release(IngestionLease lease) {
        held.remove(lease.documentId(), lease);
        lease.release();
    }

    /** The work on {@code lease} stops: PostgreSQL says this instance does not hold its document any more. */
    <T> Mono<T> noLongerHeld(IngestionLease lease) {
        return Mono.defer(() -> {
            lease.lose(takenOver(lease));
            return lease.check().then(Mono.empty());
        });
    }

    private static ApiException takenOver(IngestionLease lease) {
        return ApiException.unavailable("ingestion_interrupted", "The ingestion of '" + lease.document().filename()
                + "' was stopped: another instance resolved it as abandoned, or it was deleted; upload the file again", Duration.ofSeconds(1));
    }

    /** How many ingestions this instance is running now. */
    public int inFlight() {
        return held.size();
    }

    /**
     * Stops every ingestion running on this instance: each ends as a {@code failed} document with {@code reason} as its
     * error, its vectors removed, and its client (if still there) gets a {@code 503 shutting_down} problem. Completes
     * when all of them are resolved. For the shutdown drain; also run when this bean stops, after the web server.
     */
    public Mono<Void> failInFlight(String reason) {
        ApiException stop = ApiException.unavailable("shutting_down", reason, Duration.ofSeconds(10));
        List<IngestionLease> running = List.copyOf(held.values());
        running.forEach(each -> each.lose(stop));
        return Flux.fromIterable(running).flatMap(IngestionLease::released).then();
    }

    Mono<Void> beat() {
        long startedAt = System.nanoTime();
        List<IngestionLease> progressed = held.values().stream().filter(each -> !each.isLost() && each.takeProgress()).toList();
        Mono<Set<UUID>> renewed = progressed.isEmpty() ? Mono.just(Set.of())
                : documents.renewLeases(instance, progressed.stream().map(IngestionLease::tenant).toList(),
                        progressed.stream().map(IngestionLease::documentId).toList(), lease).collect(java.util.stream.Collectors.toSet());
        return renewed.doOnNext(ids -> {
            for (IngestionLease each : progressed) {
                if (ids.contains(each.documentId())) {
                    each.renewedUntil(startedAt + lease.toNanos());
                }
                else {
                    each.lose(takenOver(each));
                }
            }
            long now = System.nanoTime();
            held.values().stream().filter(each -> each.expiredAt(now)).forEach(each -> each.lose(new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE, "ingestion_stalled", "The ingestion of '" + each.document().filename()
                            + "' made no progress for " + lease.toSeconds() + " s; upload the file again")));
        }).then();
    }

    @Override
    public void start() {
        Duration every = lease.dividedBy(4);
        heartbeat = Flux.interval(every, every)
                .onBackpressureDrop()
                .concatMap(tick -> beat().onErrorResume(error -> {
                    log.warn("Ingestion leases not renewed: {}", error.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @Override
    public void stop(Runnable callback) {
        failInFlight("The service shut down before the file was indexed; upload it again")
                .timeout(SHUTDOWN_WAIT)
                .doFinally(signal -> {
                    stop();
                    callback.run();
                })
                .subscribe(null, error -> log.warn("Ingestions still running at shutdown: {}", held.size()));
    }

    @Override
    public void stop() {
        Disposable beating = heartbeat;
        if (beating != null) {
            beating.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable beating = heartbeat;
        return beating != null && !beating.isDisposed();
    }

    /** After the web server has stopped (its graceful shutdown first lets the uploads still streaming finish). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
