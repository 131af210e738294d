package io.docqa.document;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import io.docqa.ai.Embedder;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.ai.VectorChunk;
import io.docqa.ai.VectorWriter;
import io.docqa.limits.Quota;
import io.docqa.limits.QuotaLimits;
import io.docqa.limits.UsageLedger;
import io.docqa.tenant.Caller;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Streams an uploaded file into the tenant's index: bytes -> spool -> text -> chunks -> embedding batches -> Chroma,
 * with backpressure all the way back to the socket, under a lease on the document that this instance renews as the
 * work progresses ({@link IngestionLeases}). A file that fails leaves no vectors behind.
 */
@Service
class DocumentIngestion {

    private static final Logger log = LoggerFactory.getLogger(DocumentIngestion.class);
    private static final int SNIFF_BYTES = 512;
    private static final long STATISTICS_AFTER_CHUNKS = 1000;

    private final Documents documents;
    private final IngestionLeases leases;
    private final Embedder embedder;
    private final TenantVectorIndex index;
    private final DocumentReader reader;
    private final UploadProperties limits;
    private final DocumentProperties properties;
    private final ChunkingProperties chunking;
    private final StorageQuota quota;
    private final UsageLedger ledger;
    private final IngestionMetrics metrics;

    DocumentIngestion(Documents documents, IngestionLeases leases, Embedder embedder, TenantVectorIndex index, DocumentReader reader,
            UploadProperties limits, DocumentProperties properties, ChunkingProperties chunking, StorageQuota quota, UsageLedger ledger,
            IngestionMetrics metrics) {
        this.quota = quota;
        this.ledger = ledger;
        this.metrics = metrics;
        this.chunking = chunking;
        this.documents = documents;
        this.leases = leases;
        this.embedder = embedder;
        this.index = index;
        this.reader = reader;
        this.limits = limits;
        this.properties = properties;
    }

    /** Refuses an upload before any byte is read while the embedding model cannot be loaded. */
    Mono<Void> embedderReady() {
        return embedder.isAvailable().flatMap(up -> up ? Mono.<Void>empty() : Mono.error(DocumentErrors.embedderUnavailable()));
    }

    /**
     * Refuses an upload before any byte is read while a storage quota is used up, or when its declared length is beyond
     * the bytes left (the framing of one part aside).
     */
    Mono<Void> withinQuota(TenantId tenant, long declaredLength) {
        return quota.admitUpload(tenant, declaredLength, limits.maxPartHeaders().toBytes());
    }

    /**
     * Ingests one file of an upload. The work runs apart from the request: a client that goes away before every byte
     * of the file has arrived stops it (the document ends {@code failed}); once every byte is here, the file is indexed
     * to its end whether or not the client still listens, and {@code finished} is given the document once it is
     * {@code ready} or {@code failed} in either case.
     */
    Flux<IngestionEvent> ingest(Caller uploader, UploadedFile file, Function<Document, Mono<Void>> finished) {
        return Detachable.run(allBytesArrived -> metrics.observe(quota.limits(uploader.tenantId())
                        .flatMapMany(quotas -> ingestFile(new Upload(uploader, quotas), file, allBytesArrived)))
                .concatMap(event -> event instanceof IngestionEvent.Finished done
                        ? told(finished, done.document()).thenReturn(event)
                        : Mono.just(event)));
    }

    /** The end of a file given to {@code finished}; a failure to record it is logged, not the upload's. */
    private static Mono<Void> told(Function<Document, Mono<Void>> finished, Document document) {
        return finished.apply(document)
                .onErrorResume(error -> {
                    log.warn("Could not record the end of the ingestion of document {}: {}", document.id(), error.toString());
                    return Mono.empty();
                });
    }

    /** Who uploads, and the quotas of the tenant when the file began. */
    private record Upload(Caller uploader, QuotaLimits.Limits quotas) {

        TenantId tenant() {
            return uploader.tenantId();
        }
    }

    private Flux<IngestionEvent> ingestFile(Upload upload, UploadedFile file, Runnable allBytesArrived) {
        TenantId tenant = upload.tenant();
        ByteStreamMeter meter = new ByteStreamMeter(limits.maxFileSize().toBytes());
        AtomicLong seen = new AtomicLong();
        return meter.meter(file.content().doOnComplete(allBytesArrived))
                .bufferUntil(buffer -> seen.addAndGet(buffer.readableByteCount()) >= SNIFF_BYTES)
                .doOnDiscard(DataBuffer.class, DataBufferUtils::release) // the list under way when the file stops
                .switchOnFirst((first, groups) -> {
                    if (first.hasError()) {
                        return Flux.error(first.getThrowable());
                    }
                    byte[] prefix = first.hasValue() ? prefix(first.get()) : new byte[0];
                    if (prefix.length == 0) {
                        return groups.doOnNext(list -> list.forEach(DataBufferUtils::release))
                                .thenMany(Flux.error(new ApiException(HttpStatus.BAD_REQUEST, "empty_file", "'" + file.filename() + "' is empty")));
                    }
                    DocumentKind kind;
                    try {
                        kind = ContentSniffer.sniff(file.filename(), file.declaredType(), prefix);
                    } catch (UnsupportedDocumentException refused) {
                        first.get().forEach(DataBufferUtils::release); // ours alone: switchOnFirst discards no list's buffers
                        return Flux.error(refused);
                    }
                    Flux<DataBuffer> bytes = groups.concatMapIterable(list -> list)
                            .doOnDiscard(List.class, queued -> queued.forEach(buffer -> DataBufferUtils.release((DataBuffer) buffer)));
                    return Flux.usingWhen(leases.start(tenant, file.filename(), kind.contentType(), upload.quotas().of(Quota.DOCUMENTS),
                                    upload.quotas().of(Quota.BYTES)),
                            lease -> indexed(upload, lease, kind, bytes, meter),
                            lease -> Mono.fromRunnable(() -> leases.release(lease)),
                            (lease, error) -> abandon(lease, error),
                            lease -> abandon(lease, null));
                })
                .onErrorMap(DocumentErrors::toProblem);
    }

    private Flux<IngestionEvent> indexed(Upload upload, IngestionLease lease, DocumentKind kind, Flux<DataBuffer> bytes,
            ByteStreamMeter meter) {
        TenantId tenant = lease.tenant();
        Document document = lease.document();
        AtomicLong embedded = new AtomicLong();
        AtomicLong chunksReserved = new AtomicLong();
        AtomicLong embedNanos = new AtomicLong();
        long maxChunks = upload.quotas().of(Quota.CHUNKS);
        Mono<Void> notADuplicate = Mono.defer(() -> documents.findReadyBySha(tenant, meter.sha256())
                .flatMap(existing -> Mono.error(new AlreadyIndexed(existing))));
        Flux<DataBuffer> reserved = quota.reservingBytes(lease, leases.instance(), upload.quotas().of(Quota.BYTES), bytes);
        Flux<IngestionEvent> progress = Flux.using(() -> index.writer(tenant, lease.generation()), writer -> reader
                .read(kind, lease.whileHeld(reserved.doOnComplete(writer::awaited)), notADuplicate)
                .doOnNext(piece -> lease.progressed())
                .transform(text -> TextChunker.chunk(text, chunking))
                .buffer(properties.embedBatchSize())
                .concatMap(batch -> quota.reserveChunks(lease, leases.instance(), chunksReserved.addAndGet(batch.size()), maxChunks)
                        .thenReturn(batch), 0)
                .flatMapSequential(batch -> metrics.embedding(embedder.embedAll(lease.generation().model(),
                                batch.stream().map(chunking::embedded).toList()), embedNanos)
                        .doOnNext(vectors -> lease.progressed())
                        .map(vectors -> vectorChunks(document.id(), batch, vectors)), properties.embedBatchesInFlight(), 1)
                .concatMap(batch -> lease.check()
                        .then(writer.add(batch))
                        .then(documents.saveChunks(tenant, document.id(), leases.instance(), stored(batch)))
                        .flatMap(held -> held ? Mono.<IngestionEvent>fromSupplier(() -> new IngestionEvent.Progress(document.id(),
                                document.filename(), meter.bytesRead(), embedded.addAndGet(batch.size()))) : leases.noLongerHeld(lease))),
                VectorWriter::close);
        return progress
                .concatWith(Flux.defer(() -> complete(lease, meter, embedded.get())))
                .concatMap(event -> event instanceof IngestionEvent.Finished finished && finished.document().id().equals(document.id())
                        && finished.document().status() == Document.Status.READY
                        ? metered(upload, finished.document(), Duration.ofNanos(embedNanos.get())).thenReturn(event)
                        : Mono.just(event))
                .onErrorResume(UnreadableContentException.class, error -> documents
                        .fail(tenant, document.id(), leases.instance(), error.getMessage())
                        .switchIfEmpty(leases.noLongerHeld(lease))
                        .map(DocumentIngestion::finished))
                .onErrorResume(AlreadyIndexed.class, duplicate -> documents.deleteIngesting(tenant, document.id(), leases.instance())
                        .thenReturn(finished(duplicate.document())));
    }

    /** The usage record of a document this upload made ready; a failure to record it is logged, not the upload's. */
    private Mono<Void> metered(Upload upload, Document ready, Duration embedTime) {
        return ledger.ingested(upload.uploader(), new UsageLedger.Ingestion(ready.id(), ready.sizeBytes(), ready.chunkCount(), embedTime))
                .onErrorResume(error -> {
                    log.warn("Could not record the usage of document {}: {}", ready.id(), error.toString());
                    return Mono.empty();
                });
    }

    /** The bytes are already a ready document of the tenant: found before anything was embedded. */
    private static final class AlreadyIndexed extends RuntimeException {

        private final transient Document document;

        AlreadyIndexed(Document document) {
            super(null, null, false, false);
            this.document = document;
        }

        Document document() {
            return document;
        }
    }

    private static IngestionEvent finished(Document document) {
        return new IngestionEvent.Finished(document);
    }

    private Flux<IngestionEvent> complete(IngestionLease lease, ByteStreamMeter meter, long chunks) {
        TenantId tenant = lease.tenant();
        Document document = lease.document();
        if (chunks == 0) {
            return documents.fail(tenant, document.id(), leases.instance(), "The file contains no text")
                    .switchIfEmpty(leases.noLongerHeld(lease))
                    .map(DocumentIngestion::finished).flux();
        }
        IngestionEvent last = new IngestionEvent.Progress(document.id(), document.filename(), meter.bytesRead(), chunks);
        Mono<Document> ready = lease.check()
                .then(documents.finish(tenant, document.id(), leases.instance(), meter.bytesRead(), meter.sha256()))
                .switchIfEmpty(Mono.defer(() -> documents.holds(tenant, document.id(), leases.instance())
                        .flatMap(held -> held ? duplicateOf(lease, meter.sha256()) : leases.noLongerHeld(lease))));
        return Flux.concat(Mono.just(last), ready.flatMap(done -> wordStatistics(chunks).thenReturn(done)).map(DocumentIngestion::finished));
    }

    /**
     * Keyword search weighs a question's words by PostgreSQL's statistics of the chunks; after a large document they
     * are refreshed at once instead of at autovacuum's next round, when every word of the new chunks would count as rare
     * (an OR over thousands of rows: measured 116 ms instead of 35 ms of added time to first token over 10,000 chunks).
     */
    private Mono<Void> wordStatistics(long chunks) {
        if (chunks < STATISTICS_AFTER_CHUNKS) {
            return Mono.empty();
        }
        return documents.refreshWordStatistics()
                .onErrorResume(error -> {
                    log.warn("Could not refresh the statistics of the chunks: {}", error.toString());
                    return Mono.empty();
                });
    }

    /** The same bytes became a ready document while this copy was indexed (two uploads at once): drop this copy. */
    private Mono<Document> duplicateOf(IngestionLease lease, String sha256) {
        return index.removeDocument(lease.tenant(), lease.generation(), lease.documentId())
                .then(documents.deleteIngesting(lease.tenant(), lease.documentId(), leases.instance()))
                .then(documents.findReadyBySha(lease.tenant(), sha256));
    }

    /**
     * A file that failed, was rejected, whose client went away or whose lease was lost leaves no vectors. Rejected
     * input leaves no row either; a failure of ours leaves a failed document (unless another instance resolved it
     * already), with its vectors marked for the recovery sweep to remove if Chroma is away or one of its calls failed
     * (a call that timed out may still be applied after the removal).
     */
    private Mono<Void> abandon(IngestionLease lease, Throwable error) {
        TenantId tenant = lease.tenant();
        UUID id = lease.documentId();
        Throwable cause = error == null ? new UploadInterruptedException(null) : error;
        Throwable problem = DocumentErrors.toProblem(cause);
        boolean rejected = problem instanceof ApiException api && api.status().is4xxClientError()
                && !(cause instanceof UploadInterruptedException);
        boolean chromaFailed = problem instanceof ApiException api && DocumentErrors.VECTOR_STORE_UNAVAILABLE.equals(api.code());
        String reason = problem instanceof ApiException api ? api.getMessage() : "The ingestion failed";
        Mono<Void> rows = rejected ? documents.deleteIngesting(tenant, id, leases.instance()).then()
                : chromaFailed ? documents.failWithVectorsPending(tenant, id, leases.instance(), reason)
                : documents.fail(tenant, id, leases.instance(), reason).then();
        return index.removeDocument(tenant, lease.generation(), id)
                .then(rows)
                .onErrorResume(removalError -> {
                    log.warn("Vectors of document {} could not be removed now; the recovery sweep will retry", id);
                    return documents.failWithVectorsPending(tenant, id, leases.instance(), reason);
                })
                .doFinally(signal -> leases.release(lease));
    }

    private static List<VectorChunk> vectorChunks(UUID documentId, List<TextChunk> batch, List<float[]> vectors) {
        return java.util.stream.IntStream.range(0, batch.size())
                .mapToObj(i -> new VectorChunk(documentId, batch.get(i).index(), batch.get(i).section(), batch.get(i).text(), vectors.get(i)))
                .toList();
    }

    private static List<Documents.StoredChunk> stored(List<VectorChunk> batch) {
        return batch.stream().map(chunk -> new Documents.StoredChunk(chunk.chunkIndex(), chunk.section(), chunk.text())).toList();
    }

    private static byte[] prefix(List<DataBuffer> head) {
        int size = Math.min(SNIFF_BYTES, head.stream().mapToInt(DataBuffer::readableByteCount).sum());
        byte[] prefix = new byte[size];
        int at = 0;
        for (DataBuffer buffer : head) {
            int n = Math.min(buffer.readableByteCount(), size - at);
            for (int i = 0; i < n; i++) {
                prefix[at + i] = buffer.getByte(buffer.readPosition() + i);
            }
            at += n;
            if (at == size) {
                break;
            }
        }
        return prefix;
    }

    static ApiException tooLarge() {
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "file_too_large", "The upload is larger than allowed");
    }

}
