package io.docqa.document;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import io.docqa.limits.Quota;
import io.docqa.limits.QuotaLimits;
import io.docqa.limits.StoredUsage;
import io.docqa.tenant.TenantId;
import io.docqa.tenant.Tenants;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The storage quotas (documents, bytes, chunks), counted from the documents themselves: ready documents, plus what
 * each ingesting one has reserved so far. A document takes its place, its bytes (a step ahead as they stream in) and
 * each batch of chunks (before it is embedded) in a transaction that holds the tenant's row lock, so instances sharing
 * the database never let a tenant past a limit together. A crashed ingestion's reservation ends with it (the recovery
 * sweep fails the document).
 */
@Component
class StorageQuota implements StoredUsage {

    /** Bytes reserved at a time while a file streams in (fewer when fewer are left). */
    static final long BYTES_STEP = 1 << 20;
    private static final UUID NONE = new UUID(0, 0);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Tenants tenants;
    private final QuotaLimits limits;

    StorageQuota(DatabaseClient db, TransactionalOperator tx, Tenants tenants, QuotaLimits limits) {
        this.db = db;
        this.tx = tx;
        this.tenants = tenants;
        this.limits = limits;
    }

    Mono<QuotaLimits.Limits> limits(TenantId tenant) {
        return limits.of(tenant);
    }

    @Override
    public Mono<Stored> of(TenantId tenant) {
        return usedExcept(tenant, NONE);
    }

    /**
     * Before a byte is read: refuses while a storage quota is used up, or when the declared length of the request
     * (less {@code framing}, the multipart headers of one part) is more than the bytes left.
     */
    Mono<Void> admitUpload(TenantId tenant, long declaredLength, long framing) {
        return limits.of(tenant).flatMap(set -> !set.limited(Quota.DOCUMENTS) && !set.limited(Quota.BYTES) && !set.limited(Quota.CHUNKS)
                ? Mono.empty()
                : of(tenant).flatMap(used -> {
                    for (Quota quota : new Quota[] { Quota.DOCUMENTS, Quota.BYTES, Quota.CHUNKS }) {
                        if (set.limited(quota) && used.of(quota) >= set.of(quota)) {
                            return Mono.error(limits.exceeded(quota, set.of(quota)));
                        }
                    }
                    if (set.limited(Quota.BYTES) && declaredLength - framing > set.of(Quota.BYTES) - used.bytes()) {
                        return Mono.error(limits.exceeded(Quota.BYTES, set.of(Quota.BYTES)));
                    }
                    return Mono.empty();
                }));
    }

    /**
     * Runs {@code start} (which makes the document's row with the bytes it is given reserved) only while the tenant has
     * fewer than {@code maxDocuments} documents. In the same transaction the document's first {@link #BYTES_STEP} bytes
     * are reserved (fewer when fewer are left), so a small file needs no reservation of its own while it streams in.
     */
    <T> Mono<T> startDocument(TenantId tenant, long maxDocuments, long maxBytes, LongFunction<Mono<T>> start) {
        if (maxDocuments < 0 && maxBytes < 0) {
            return start.apply(0);
        }
        return tx.transactional(tenants.lock(tenant)
                .then(usedExcept(tenant, NONE))
                .flatMap(used -> maxDocuments >= 0 && used.documents() + 1 > maxDocuments
                        ? Mono.error(limits.exceeded(Quota.DOCUMENTS, maxDocuments))
                        : start.apply(maxBytes < 0 ? 0 : Math.max(0, Math.min(BYTES_STEP, maxBytes - used.bytes())))));
    }

    /**
     * Passes the file's bytes, reserving them before they go on (beyond those reserved when the document started);
     * fails with {@code quota_exceeded} past the limit.
     */
    Flux<DataBuffer> reservingBytes(IngestionLease lease, String instance, long limit, Flux<DataBuffer> bytes) {
        if (limit < 0) {
            return bytes;
        }
        return Flux.defer(() -> {
            AtomicLong seen = new AtomicLong();
            AtomicLong reserved = new AtomicLong(lease.bytesReservedAtStart());
            return bytes.concatMap(buffer -> {
                long needed = seen.addAndGet(buffer.readableByteCount());
                if (needed <= reserved.get()) {
                    // hidden: concatMap keeps a plain Mono.just's value after emitting it and discards it again on cancel
                    return Mono.just(buffer).hide();
                }
                // One buffer at a time and no queue, so no discard hook of its own: hooks compose upstream, and one here
                // released every buffer that the byte limit before it discards a second time. The buffer is released
                // here unless it was handed on (a cancel can race the hand-over).
                AtomicBoolean ours = new AtomicBoolean(true);
                return reserve(lease, instance, Quota.BYTES, needed, needed + BYTES_STEP, limit)
                        .doOnNext(reserved::set)
                        .then(Mono.fromCallable(() -> ours.compareAndSet(true, false) ? buffer : null))
                        .doFinally(signal -> {
                            if (ours.compareAndSet(true, false)) {
                                DataBufferUtils.release(buffer);
                            }
                        });
            }, 0);
        });
    }

    /** Reserves {@code total} chunks for the document in all (before a batch is embedded), or fails with {@code quota_exceeded}. */
    Mono<Void> reserveChunks(IngestionLease lease, String instance, long total, long limit) {
        return limit < 0 ? Mono.empty() : reserve(lease, instance, Quota.CHUNKS, total, total, limit).then();
    }

    /** Sets the document's reservation to at least {@code needed} and at most {@code wanted}, within what the others leave. */
    private Mono<Long> reserve(IngestionLease lease, String instance, Quota quota, long needed, long wanted, long limit) {
        TenantId tenant = lease.tenant();
        String column = quota == Quota.BYTES ? "reserved_bytes" : "reserved_chunks";
        return tx.transactional(tenants.lock(tenant)
                .then(usedExcept(tenant, lease.documentId()))
                .flatMap(others -> {
                    long left = limit - others.of(quota);
                    if (needed > left) {
                        return Mono.error(limits.exceeded(quota, limit));
                    }
                    long amount = Math.min(wanted, left);
                    return db.sql("update documents set " + column + " = :amount where id = :id and tenant_id = :tenant "
                                    + "and owner_instance = :owner and status = 'ingesting'")
                            .bind("amount", amount).bind("id", lease.documentId()).bind("tenant", tenant.value()).bind("owner", instance)
                            .then()
                            .thenReturn(amount);
                }));
    }

    private Mono<Stored> usedExcept(TenantId tenant, UUID document) {
        return db.sql("""
                        select count(*) as documents,
                          coalesce(sum(case when status = 'ready' then size_bytes else reserved_bytes end), 0) as bytes,
                          coalesce(sum(case when status = 'ready' then chunk_count else greatest(chunk_count, reserved_chunks) end), 0) as chunks
                        from documents where tenant_id = :tenant and status in ('ready', 'ingesting') and id <> :document""")
                .bind("tenant", tenant.value()).bind("document", document)
                .map(row -> new Stored(((Number) row.get("documents")).longValue(), ((Number) row.get("bytes")).longValue(),
                        ((Number) row.get("chunks")).longValue()))
                .one();
    }
}
