package io.docqa.document;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import io.docqa.tenant.AuditAction;
import io.docqa.tenant.AuditActor;
import io.docqa.tenant.AuditTarget;
import io.docqa.tenant.AuditTrail;
import io.docqa.tenant.Caller;
import io.docqa.web.ApiException;
import io.docqa.web.JsonArrayStream;
import io.docqa.web.PathIds;
import io.docqa.web.ProblemWriter;
import io.docqa.web.Problems;
import io.docqa.web.QueryParams;
import io.docqa.web.ShutdownDrain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Component
class DocumentHandler {

    private final DocumentIngestion ingestion;
    private final Documents documents;
    private final DocumentRemoval removal;
    private final DocumentProperties properties;
    private final UploadProperties limits;
    private final JsonArrayStream jsonArrays;
    private final ShutdownDrain shutdown;
    private final AuditTrail audit;

    DocumentHandler(DocumentIngestion ingestion, Documents documents, DocumentRemoval removal, DocumentProperties properties,
            UploadProperties limits, JsonArrayStream jsonArrays, ShutdownDrain shutdown, AuditTrail audit) {
        this.shutdown = shutdown;
        this.audit = audit;
        this.ingestion = ingestion;
        this.limits = limits;
        this.documents = documents;
        this.removal = removal;
        this.properties = properties;
        this.jsonArrays = jsonArrays;
    }

    Mono<ServerResponse> upload(ServerRequest request) {
        boolean stream = request.headers().accept().stream().anyMatch(MediaType.TEXT_EVENT_STREAM::equalsTypeAndSubtype);
        return Caller.of(request).flatMap(caller -> {
            Flux<IngestionEvent> events = shutdown.endedAtShutdown(ingestion.embedderReady()
                    .then(ingestion.withinQuota(caller.tenantId(), request.headers().contentLength().orElse(-1)))
                    .thenMany(MultipartUpload.eachFile(request, limits, file -> ingestion.ingest(caller, file, document -> audited(caller, document)))));
            if (stream) {
                return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                        .body(asServerSentEvents(request, events), ServerSentEvent.class);
            }
            return events.ofType(IngestionEvent.Finished.class)
                    .map(IngestionEvent.Finished::document)
                    .collectList()
                    .flatMap(docs -> ServerResponse.created(URI.create("/api/v1/documents"))
                            .bodyValue(new Uploaded(docs)));
        });
    }

    Mono<ServerResponse> list(ServerRequest request) {
        int page = QueryParams.intParam(request, "page", 0, 0, Integer.MAX_VALUE / properties.maxPageSize());
        int size = QueryParams.intParam(request, "size", 20, 1, properties.maxPageSize());
        return Caller.of(request)
                .flatMap(caller -> Mono.zip(documents.page(caller.tenantId(), page, size).collectList(),
                        documents.count(caller.tenantId())))
                .flatMap(result -> ServerResponse.ok().bodyValue(new Page(result.getT1(), page, size, result.getT2())));
    }

    Mono<ServerResponse> get(ServerRequest request) {
        UUID id = PathIds.uuid(request, "id", "Document");
        return Caller.of(request)
                .flatMap(caller -> documents.find(caller.tenantId(), id))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Document")))
                .flatMap(document -> ServerResponse.ok().bodyValue(document));
    }

    /** {@code {"items":[...]}} written as the chunks are read, so that a document of any size takes bounded memory. */
    Mono<ServerResponse> chunks(ServerRequest request) {
        UUID id = PathIds.uuid(request, "id", "Document");
        return Caller.of(request)
                .flatMap(caller -> documents.find(caller.tenantId(), id)
                        .switchIfEmpty(Mono.error(() -> ApiException.notFound("Document")))
                        .flatMap(document -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                                .body(BodyInserters.fromDataBuffers(jsonArrays.inObject("items", documents.chunks(caller.tenantId(), id))))));
    }

    Mono<ServerResponse> delete(ServerRequest request) {
        UUID id = PathIds.uuid(request, "id", "Document");
        return Caller.of(request)
                .flatMap(caller -> removal.remove(caller.tenantId(), id)
                        .then(audit.record(caller.tenantId(), AuditActor.of(caller), AuditAction.DOCUMENT_DELETED,
                                AuditTarget.of("document", id), null)))
                .then(ServerResponse.noContent().build());
    }

    /** A file's document, once it is {@code ready} or {@code failed}, is recorded as uploaded. */
    private Mono<Void> audited(Caller caller, Document document) {
        return audit.record(caller.tenantId(), AuditActor.of(caller), AuditAction.DOCUMENT_UPLOADED,
                        AuditTarget.of("document", document.id()), Map.of("filename", document.filename(),
                                "status", document.status().json(), "size_bytes", document.sizeBytes()));
    }

    private static Flux<ServerSentEvent<Object>> asServerSentEvents(ServerRequest request, Flux<IngestionEvent> events) {
        AtomicLong ids = new AtomicLong();
        return events.map(event -> event instanceof IngestionEvent.Finished finished
                        ? sse(ids, "document", finished.document())
                        : sse(ids, "progress", event))
                .onErrorResume(error -> Mono.just(ProblemWriter.event(Problems.of(error), request.exchange(),
                        Long.toString(ids.incrementAndGet()))));
    }

    private static ServerSentEvent<Object> sse(AtomicLong ids, String name, Object data) {
        return ServerSentEvent.builder(data).id(Long.toString(ids.incrementAndGet())).event(name).build();
    }

    record Uploaded(List<Document> documents) {
    }

    record Page(List<Document> items, int page, int size, long total) {
    }
}
