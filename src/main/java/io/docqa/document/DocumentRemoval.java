package io.docqa.document;

import java.util.UUID;

import org.springframework.stereotype.Service;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.tenant.TenantDataEraser;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

/** Deleting documents: vectors first, then the row, so a failure never leaves searchable vectors without a row. */
@Service
class DocumentRemoval implements TenantDataEraser {

    private final Documents documents;
    private final TenantVectorIndex index;

    DocumentRemoval(Documents documents, TenantVectorIndex index) {
        this.documents = documents;
        this.index = index;
    }

    Mono<Void> remove(TenantId tenant, UUID id) {
        return documents.find(tenant, id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Document")))
                .flatMap(document -> document.status() == Document.Status.INGESTING
                        ? Mono.error(ApiException.conflict("document_ingesting", "The document is still being ingested"))
                        : index.removeDocument(tenant, id).onErrorMap(e -> DocumentErrors.toProblem(e)))
                .then(documents.delete(tenant, id))
                .then();
    }

    @Override
    public Mono<Void> erase(TenantId tenant) {
        return index.dropTenant(tenant).onErrorMap(e -> DocumentErrors.toProblem(e));
    }
}
