package io.docqa.chat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;
import io.docqa.ai.Embedder;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.ai.VectorMatch;
import io.docqa.document.DocumentDirectory;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

/** Finds the passages of the caller's tenant that answer a question; only ready documents count. */
@Component
class Retrieval {

    private final Embedder embedder;
    private final TenantVectorIndex index;
    private final DocumentDirectory directory;

    Retrieval(Embedder embedder, TenantVectorIndex index, DocumentDirectory directory) {
        this.embedder = embedder;
        this.index = index;
        this.directory = directory;
    }

    /** Fails with 404 when one of the named documents is not a ready document of the tenant. */
    Mono<Void> checkDocuments(TenantId tenant, Set<UUID> documentIds) {
        return directory.readyNames(tenant, documentIds)
                .flatMap(found -> found.size() == documentIds.size() ? Mono.<Void>empty()
                        : Mono.error(ApiException.notFound("Document")));
    }

    Mono<List<Source>> search(TenantId tenant, ChatLimits.Question question) {
        return embedder.embed(question.text())
                .flatMap(vector -> index.search(tenant, vector, question.topK(), question.minScore(), question.documentIds()))
                .flatMap(matches -> directory.readyNames(tenant, matches.stream().map(VectorMatch::documentId).distinct().toList())
                        .map(names -> sources(matches, names)));
    }

    private static List<Source> sources(List<VectorMatch> matches, Map<UUID, String> names) {
        return matches.stream()
                .filter(match -> names.containsKey(match.documentId()))
                .map(match -> new Source(match.documentId(), names.get(match.documentId()), match.chunkIndex(), match.score(), match.text()))
                .toList();
    }
}
