package io.docqa.document;

import java.util.UUID;

import org.springframework.stereotype.Service;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.tenant.TenantDataEraser;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deleting documents: the document taken out of the ready ones first, then its vectors (from every live index
 * generation of the tenant: the one searched and the one a re-index builds), then the row, so a failure never leaves
 * searchable vectors without a row, and a re-index writing the document meanwhile removes what it wrote. When the
 * vectors cannot be removed (the vector store is down) a ready document is ready again: a refused deletion changes nothing.
 */
@Service
class DocumentRemoval implements TenantDataEraser {

    private final Documents documents;
    private final TenantVectorIndex index;
    private final IndexGenerations generations;
    private final VectorIndexes states;

    DocumentRemoval(Documents documents, TenantVectorIndex index, IndexGenerations generations, VectorIndexes states) {
        this.documents = documents;
        this.index = index;
        this.generations = generations;
        this.states = states;
    }

    Mono<Void> remove(TenantId tenant, UUID id) {
        return documents.find(tenant, id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Document")))
                .flatMap(document -> document.status() == Document.Status.INGESTING
                        ? Mono.error(ApiException.conflict("document_ingesting", "The document is still being ingested"))
                        : documents.markDeleting(tenant, id)
                                .then(removeVectors(tenant, id))
                                .onErrorResume(e -> document.status() == Document.Status.READY
                                        ? documents.unmarkDeleting(tenant, id).then(Mono.error(e)) : Mono.error(e))
                                .onErrorMap(e -> DocumentErrors.toProblem(e)))
                .then(documents.delete(tenant, id))
                .then();
    }

    /** The document's vectors, from every live generation of the tenant's index. */
    Mono<Void> removeVectors(TenantId tenant, UUID id) {
        return generations.live(tenant)
                .flatMapMany(Flux::fromIterable)
                .concatMap(generation -> index.removeDocument(tenant, generation, id))
                .then();
    }

    /**
     * The tenant's collections of every generation, after taking its index from any re-index for good: a re-index
     * adding to them meanwhile finds its lease lost, and drops what it made again.
     */
    @Override
    public Mono<Void> erase(TenantId tenant) {
        return states.fenceForDeletion(tenant)
                .then(generations.all(tenant))
                .flatMap(all -> index.dropTenant(tenant, all))
                .onErrorMap(e -> DocumentErrors.toProblem(e));
    }
}
