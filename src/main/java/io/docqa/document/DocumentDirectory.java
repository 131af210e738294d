package io.docqa.document;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/** What other features may know of a tenant's documents: which ready ones exist, their names, their chunks' texts. */
@Component
public class DocumentDirectory {

    private final DatabaseClient db;

    DocumentDirectory(DatabaseClient db) {
        this.db = db;
    }

    /** The names of those of {@code ids} that are ready documents of the tenant. */
    public Mono<Map<UUID, String>> readyNames(TenantId tenant, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("select id, filename from documents where tenant_id = :tenant and status = 'ready' and id = any(:ids)")
                .bind("tenant", tenant.value())
                .bind("ids", ids.toArray(UUID[]::new))
                .map(row -> Map.entry(row.get("id", UUID.class), row.get("filename", String.class)))
                .all()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Those of the chunks that belong to ready documents of the tenant, with their texts and their documents' names. */
    public Mono<List<ReadyChunk>> readyChunks(TenantId tenant, List<ChunkKey> chunks) {
        if (chunks.isEmpty()) {
            return Mono.just(List.of());
        }
        return db.sql("""
                        select c.document_id, c.chunk_index, c.text, d.filename
                        from unnest(:documents, :indexes) as k (document_id, chunk_index)
                        join document_chunks c on c.document_id = k.document_id and c.chunk_index = k.chunk_index
                        join documents d on d.id = c.document_id
                        where c.tenant_id = :tenant and d.tenant_id = :tenant and d.status = 'ready'
                        """)
                .bind("tenant", tenant.value())
                .bind("documents", chunks.stream().map(ChunkKey::documentId).toArray(UUID[]::new))
                .bind("indexes", chunks.stream().map(ChunkKey::chunkIndex).toArray(Integer[]::new))
                .map(row -> new ReadyChunk(new ChunkKey(row.get("document_id", UUID.class), row.get("chunk_index", Integer.class)),
                        row.get("filename", String.class), row.get("text", String.class)))
                .all()
                .collectList();
    }

    /** A chunk of a document: the document and the chunk's place in it. */
    public record ChunkKey(UUID documentId, int chunkIndex) {
    }

    public record ReadyChunk(ChunkKey key, String filename, String text) {
    }
}
