package io.docqa.document;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.server.ServerRequest;
import io.docqa.ai.Embedder;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.ai.VectorChunk;
import io.docqa.tenant.Caller;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Streams an upload into the tenant's index: bytes -> text -> chunks -> embedding batches -> Chroma, one file part
 * after the other, with backpressure all the way back to the socket. A file that fails leaves no vectors behind.
 */
@Service
class DocumentIngestion {

    private static final Logger log = LoggerFactory.getLogger(DocumentIngestion.class);
    private static final int SNIFF_BYTES = 512;
    private static final long STATISTICS_AFTER_CHUNKS = 1000;

    private final Documents documents;
    private final Embedder embedder;
    private final TenantVectorIndex index;
    private final DocumentReader reader;
    private final UploadProperties limits;
    private final DocumentProperties properties;
    private final ChunkingProperties chunking;

    DocumentIngestion(Documents documents, Embedder embedder, TenantVectorIndex index, DocumentReader reader,
            UploadProperties limits, DocumentProperties properties, ChunkingProperties chunking) {
        this.chunking = chunking;
        this.documents = documents;
        this.embedder = embedder;
        this.index = index;
        this.reader = reader;
        this.limits = limits;
        this.properties = properties;
    }

    Flux<IngestionEvent> ingest(Caller caller, ServerRequest request) {
        MediaType type = request.headers().contentType().orElse(null);
        if (type == null || !MediaType.MULTIPART_FORM_DATA.equalsTypeAndSubtype(type)) {
            return Flux.error(new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Upload files as multipart/form-data with one or more parts named 'file'"));
        }
        long declared = request.headers().contentLength().orElse(-1);
        long ceiling = limits.maxFileSize().toBytes() * limits.maxParts() + limits.maxPartHeaders().toBytes() * (limits.maxParts() + 1L);
        if (declared > ceiling) {
            return Flux.error(tooLarge());
        }
        AtomicLong files = new AtomicLong();
        AtomicLong parts = new AtomicLong();
        Mono<Void> embedderLoaded = embedder.isAvailable()
                .flatMap(up -> up ? Mono.<Void>empty() : Mono.error(DocumentErrors.embedderUnavailable()));
        return embedderLoaded.thenMany(request.bodyToFlux(PartEvent.class))
                .windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    if (!first.hasValue()) {
                        return events.thenMany(Flux.empty());
                    }
                    PartEvent head = first.get();
                    boolean isFile = head instanceof FilePartEvent && "file".equals(head.name());
                    if ((isFile ? files.incrementAndGet() : 0) > limits.maxParts() || parts.incrementAndGet() > 2L * limits.maxParts()) {
                        return discard(events).thenMany(Flux.error(new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "too_many_files",
                                "At most " + limits.maxParts() + " files per upload")));
                    }
                    if (!isFile) {
                        return discard(events).thenMany(Flux.empty());
                    }
                    FilePartEvent file = (FilePartEvent) head;
                    String declaredType = head.headers().getContentType() == null ? null : head.headers().getContentType().toString();
                    return ingestFile(caller.tenantId(), ContentSniffer.safeFilename(file.filename()), declaredType,
                            events.map(PartEvent::content));
                }), 0)
                .concatWith(Mono.defer(() -> files.get() == 0
                        ? Mono.error(ApiException.invalid("file", "at least one part named 'file' is required"))
                        : Mono.empty()));
    }

    private Flux<IngestionEvent> ingestFile(TenantId tenant, String filename, String declaredType, Flux<DataBuffer> content) {
        ByteStreamMeter meter = new ByteStreamMeter(limits.maxFileSize().toBytes());
        AtomicLong seen = new AtomicLong();
        return meter.meter(content)
                .bufferUntil(buffer -> seen.addAndGet(buffer.readableByteCount()) >= SNIFF_BYTES)
                .switchOnFirst((first, groups) -> {
                    if (first.hasError()) {
                        return Flux.error(first.getThrowable());
                    }
                    byte[] prefix = first.hasValue() ? prefix(first.get()) : new byte[0];
                    if (prefix.length == 0) {
                        return groups.doOnNext(list -> list.forEach(DataBufferUtils::release))
                                .thenMany(Flux.error(new ApiException(HttpStatus.BAD_REQUEST, "empty_file", "'" + filename + "' is empty")));
                    }
                    DocumentKind kind = ContentSniffer.sniff(filename, declaredType, prefix);
                    Flux<DataBuffer> bytes = groups.concatMapIterable(list -> list);
                    return Flux.usingWhen(documents.start(tenant, filename, kind.contentType()),
                            document -> indexed(tenant, document, kind, bytes, meter),
                            document -> Mono.empty(),
                            (document, error) -> abandon(tenant, document.id(), error),
                            document -> abandon(tenant, document.id(), null));
                })
                .onErrorMap(DocumentErrors::toProblem);
    }

    private Flux<IngestionEvent> indexed(TenantId tenant, Document document, DocumentKind kind, Flux<DataBuffer> bytes,
            ByteStreamMeter meter) {
        AtomicLong embedded = new AtomicLong();
        Mono<Void> notADuplicate = Mono.defer(() -> documents.findReadyBySha(tenant, meter.sha256())
                .flatMap(existing -> Mono.error(new AlreadyIndexed(existing))));
        Flux<IngestionEvent> progress = reader.read(kind, bytes, notADuplicate)
                .transform(text -> TextChunker.chunk(text, chunking))
                .buffer(properties.embedBatchSize())
                .flatMapSequential(batch -> embedder.embedAll(batch.stream().map(chunking::embedded).toList())
                        .map(vectors -> vectorChunks(document.id(), batch, vectors)), properties.embedBatchesInFlight(), 1)
                .concatMap(batch -> index.add(tenant, batch)
                        .then(documents.saveChunks(tenant, document.id(), stored(batch)))
                        .then(Mono.fromSupplier(() -> new IngestionEvent.Progress(document.id(), document.filename(),
                                meter.bytesRead(), embedded.addAndGet(batch.size())))));
        return progress
                .concatWith(Flux.defer(() -> complete(tenant, document, meter, embedded.get())))
                .onErrorResume(UnreadableContentException.class, error -> documents
                        .fail(tenant, document.id(), error.getMessage(), false)
                        .map(DocumentIngestion::finished))
                .onErrorResume(AlreadyIndexed.class, duplicate -> documents.delete(tenant, document.id())
                        .thenReturn(finished(duplicate.document())));
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

    private Flux<IngestionEvent> complete(TenantId tenant, Document document, ByteStreamMeter meter, long chunks) {
        if (chunks == 0) {
            return documents.fail(tenant, document.id(), "The file contains no text", false)
                    .map(DocumentIngestion::finished).flux();
        }
        IngestionEvent last = new IngestionEvent.Progress(document.id(), document.filename(), meter.bytesRead(), chunks);
        Mono<Document> ready = documents.finish(tenant, document.id(), meter.bytesRead(), meter.sha256())
                .switchIfEmpty(Mono.defer(() -> duplicateOf(tenant, document.id(), meter.sha256())));
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
    private Mono<Document> duplicateOf(TenantId tenant, UUID copy, String sha256) {
        return index.removeDocument(tenant, copy)
                .then(documents.delete(tenant, copy))
                .then(documents.findReadyBySha(tenant, sha256));
    }

    /**
     * A file that failed, was rejected or whose client went away leaves no vectors. Rejected input leaves no row
     * either; a failure of ours leaves a failed document, with its vectors marked for removal if Chroma is away.
     */
    private Mono<Void> abandon(TenantId tenant, UUID id, Throwable error) {
        Throwable problem = error == null ? null : DocumentErrors.toProblem(error);
        boolean rejected = problem instanceof ApiException api && api.status().is4xxClientError();
        String reason = error == null ? "The upload was interrupted"
                : problem instanceof ApiException api ? api.getMessage() : "The ingestion failed";
        Mono<Void> rows = rejected ? documents.delete(tenant, id).then() : documents.fail(tenant, id, reason, false).then();
        return index.removeDocument(tenant, id)
                .then(rows)
                .onErrorResume(removalError -> {
                    log.warn("Vectors of document {} could not be removed now; the recovery sweep will retry", id);
                    return documents.fail(tenant, id, reason, true).then();
                });
    }

    private static Mono<Void> discard(Flux<PartEvent> events) {
        return events.doOnNext(event -> DataBufferUtils.release(event.content())).then();
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
