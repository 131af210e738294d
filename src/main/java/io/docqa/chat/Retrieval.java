package io.docqa.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import io.docqa.ai.Embedder;
import io.docqa.ai.EmbeddingModel;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.ai.VectorMatch;
import io.docqa.document.DocumentDirectory;
import io.docqa.document.DocumentDirectory.ChunkKey;
import io.docqa.document.DocumentDirectory.ReadyChunk;
import io.docqa.document.IndexGenerations;
import io.docqa.document.KeywordHit;
import io.docqa.document.KeywordQuery;
import io.docqa.document.KeywordSearch;
import io.docqa.tenant.TenantId;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

/**
 * Finds the passages of the caller's tenant that answer a question, only in ready documents: a vector search (Chroma)
 * and a keyword search (PostgreSQL) at the same time, fused by rank, then the relevance decision.
 */
@Component
class Retrieval {

    private static final Logger log = LoggerFactory.getLogger(Retrieval.class);

    private final Embedder embedder;
    private final TenantVectorIndex index;
    private final DocumentDirectory directory;
    private final IndexGenerations generations;
    private final KeywordSearch keywords;
    private final RetrievalProperties properties;
    private final double defaultMinScore;

    Retrieval(Embedder embedder, TenantVectorIndex index, DocumentDirectory directory, IndexGenerations generations, KeywordSearch keywords,
            RetrievalProperties properties, ChatProperties chat) {
        this.embedder = embedder;
        this.index = index;
        this.directory = directory;
        this.generations = generations;
        this.keywords = keywords;
        this.properties = properties;
        this.defaultMinScore = chat.defaultMinScore();
    }

    /** Fails with 404 when one of the named documents is not a ready document of the tenant. */
    Mono<Void> checkDocuments(TenantId tenant, Set<UUID> documentIds) {
        return directory.readyNames(tenant, documentIds)
                .flatMap(found -> found.size() == documentIds.size() ? Mono.<Void>empty()
                        : Mono.error(ApiException.notFound("Document")));
    }

    /** Fails with 503 while the embedding model cannot be loaded, so that a question is refused before its stream starts. */
    Mono<Void> checkEmbedder() {
        if (!properties.mode().vector()) {
            return Mono.empty();
        }
        return embedder.isAvailable().flatMap(up -> up ? Mono.<Void>empty()
                : Mono.error(ApiException.unavailable("embedder_unavailable",
                        "The embedding model is not available; try again later", Duration.ofSeconds(30))));
    }

    /**
     * The candidates for the question from both paths. {@code earlier} are the user questions before it in its
     * conversation, oldest first: a follow-up ("And for digital goods?") is searched together with the last
     * {@code follow-up-turns} of them. Neither path depends on the question's {@code top_k}, so the search can start
     * before the tenant's default top_k is known; {@link #sources} decides and cuts.
     */
    Mono<Found> find(TenantId tenant, ChatLimits.Question question, List<String> earlier) {
        String before = String.join("\n", earlier.subList(Math.max(0, earlier.size() - properties.followUpTurns()), earlier.size()));
        RetrievalProperties.Mode mode = properties.mode();
        Mono<VectorFound> vector = mode.vector() ? vectorSearch(tenant, question, before) : Mono.just(VectorFound.NONE);
        Mono<List<KeywordHit>> keyword = mode.keyword()
                ? keywords.search(tenant, new KeywordQuery(question.text(), before, properties.followUpWeight()),
                        question.documentIds(), properties.candidates())
                : Mono.just(List.of());
        return Mono.zip(vector, keyword).map(both -> new Found(both.getT1(), both.getT2()));
    }

    /**
     * In the generation of the tenant's index that searches use (while a re-index builds a new one, the old one), with
     * the question embedded by that generation's model.
     */
    private Mono<VectorFound> vectorSearch(TenantId tenant, ChatLimits.Question question, String before) {
        return generations.searched(tenant).flatMap(generation -> {
            EmbeddingModel model = generation.model();
            Mono<float[]> query = before.isBlank() || properties.followUpWeight() == 0
                    ? embedder.embed(model, question.text())
                    : embedder.embedAll(model, List.of(question.text(), before))
                            .map(vectors -> QueryVectors.weighted(vectors.get(0), vectors.get(1), properties.followUpWeight()));
            return query.flatMap(vector -> index.search(tenant, generation, vector, properties.candidates(), 0, question.documentIds()));
        }).flatMap(matches -> directory.readyChunks(tenant, matches.stream().map(match -> new ChunkKey(match.documentId(), match.chunkIndex())).toList())
                .map(ready -> VectorFound.of(matches, ready)));
    }

    /**
     * The passages for the question from what {@link #find} found, best first, at most its {@code top_k}; empty when
     * nothing relevant was found. An explicit {@code min_score} is the caller's own relevance decision: a floor on each
     * source's score. Without one, the relevance decision decides, and vector matches below
     * {@code docqa.chat.default-min-score} are no candidates.
     */
    List<Source> sources(ChatLimits.Question question, Found found) {
        VectorFound vector = found.vector();
        List<KeywordHit> keyword = found.keyword();
        Double explicitFloor = question.minScore();
        if (log.isDebugEnabled()) {
            RelevanceDecision.Evidence evidence = RelevanceDecision.Evidence.of(vector.matches(), keyword, properties.relevance().agreementDepth());
            log.debug("Relevance evidence: best_vector={} lift={} coverage={} heading={} agreement_rank={} question={}",
                    evidence.bestVector(), evidence.lift(), evidence.coverage(), evidence.heading(), evidence.agreementRank(),
                    question.text().replaceAll("\\s+", " "));
        }
        if (explicitFloor == null && properties.relevance().enabled()
                && !RelevanceDecision.relevant(vector.matches(), keyword, properties.mode(), properties.relevance())) {
            return List.of();
        }
        double floor = explicitFloor == null ? defaultMinScore : explicitFloor;
        List<VectorMatch> candidates = vector.matches().stream().filter(match -> match.score() >= floor).toList();
        Map<UUID, String> names = new HashMap<>(vector.names());
        keyword.forEach(hit -> names.put(hit.documentId(), hit.filename()));
        return RankFusion.fuse(candidates, keyword, properties).stream()
                .filter(candidate -> explicitFloor == null || candidate.score() >= explicitFloor)
                .limit(question.topK())
                .map(candidate -> new Source(candidate.documentId(), names.get(candidate.documentId()), candidate.chunkIndex(),
                        candidate.section(), candidate.score(), candidate.text()))
                .toList();
    }

    /** What both paths found for one question, before the relevance decision. */
    record Found(VectorFound vector, List<KeywordHit> keyword) {
    }

    record VectorFound(List<VectorMatch> matches, Map<UUID, String> names) {

        static final VectorFound NONE = new VectorFound(List.of(), Map.of());

        /** The matches that are chunks of ready documents, in their order, with their texts. */
        static VectorFound of(List<VectorMatch> matches, List<ReadyChunk> ready) {
            Map<ChunkKey, ReadyChunk> byKey = new HashMap<>();
            Map<UUID, String> names = new HashMap<>();
            for (ReadyChunk chunk : ready) {
                byKey.put(chunk.key(), chunk);
                names.put(chunk.key().documentId(), chunk.filename());
            }
            List<VectorMatch> found = new ArrayList<>(matches.size());
            for (VectorMatch match : matches) {
                ReadyChunk chunk = byKey.get(new ChunkKey(match.documentId(), match.chunkIndex()));
                if (chunk != null) {
                    found.add(match.withText(chunk.text()));
                }
            }
            return new VectorFound(found, names);
        }
    }
}
