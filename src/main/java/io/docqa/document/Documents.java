package io.docqa.document;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import io.docqa.tenant.TenantId;
import io.docqa.tenant.TenantUsage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Documents and their chunk texts. Every query is scoped by tenant, except the recovery sweeps. */
@Repository
class Documents implements TenantUsage {

    static final int CHUNK_PAGE = 500;
    private static final String COLUMNS = "id, filename, content_type, size_bytes, sha256, status, chunk_count, error, created_at";

    private final DatabaseClient db;
    private final KeywordSearchProperties textSearch;

    Documents(DatabaseClient db, KeywordSearchProperties textSearch) {
        this.db = db;
        this.textSearch = textSearch;
    }

    Mono<Document> start(TenantId tenant, String filename, String contentType) {
        return db.sql("insert into documents (id, tenant_id, filename, content_type, status) "
                        + "values (:id, :tenant, :filename, :type, 'ingesting') returning " + COLUMNS)
                .bind("id", UUID.randomUUID())
                .bind("tenant", tenant.value())
                .bind("filename", filename)
                .bind("type", contentType)
                .map(Documents::document)
                .one();
    }

    Mono<Void> saveChunks(TenantId tenant, UUID documentId, List<StoredChunk> chunks) {
        if (chunks.isEmpty()) {
            return Mono.empty();
        }
        StringBuilder sql = new StringBuilder("insert into document_chunks (document_id, tenant_id, chunk_index, section, text, search) values ");
        for (int i = 0; i < chunks.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:doc, :tenant, :i").append(i).append(", :s").append(i).append(", :t").append(i)
                    .append(", chunk_search_vector(cast(:config as regconfig), :s").append(i).append(", :t").append(i).append("))");
        }
        sql.append(" on conflict (document_id, chunk_index) do update set section = excluded.section, text = excluded.text, search = excluded.search");
        var spec = db.sql(sql.toString()).bind("doc", documentId).bind("tenant", tenant.value())
                .bind("config", textSearch.textSearchConfig());
        for (int i = 0; i < chunks.size(); i++) {
            StoredChunk chunk = chunks.get(i);
            spec = spec.bind("i" + i, chunk.index()).bind("t" + i, chunk.text());
            spec = chunk.section() == null ? spec.bindNull("s" + i, String.class) : spec.bind("s" + i, chunk.section());
        }
        return spec.then()
                .then(db.sql("update documents set chunk_count = chunk_count + :n, heartbeat_at = now() where id = :doc and tenant_id = :tenant")
                        .bind("n", chunks.size()).bind("doc", documentId).bind("tenant", tenant.value()).then());
    }

    /** Marks the document ready with its size and hash; empty when the same bytes are already a ready document. */
    Mono<Document> finish(TenantId tenant, UUID id, long size, String sha256) {
        return db.sql("""
                        update documents set status = 'ready', size_bytes = :size, sha256 = :sha, heartbeat_at = now()
                        where id = :id and tenant_id = :tenant and status = 'ingesting'
                          and not exists (select 1 from documents d where d.tenant_id = :tenant and d.sha256 = :sha and d.status = 'ready')
                        returning """ + " " + COLUMNS)
                .bind("size", size).bind("sha", sha256).bind("id", id).bind("tenant", tenant.value())
                .map(Documents::document)
                .one()
                .onErrorResume(org.springframework.dao.DataIntegrityViolationException.class, e -> Mono.empty());
    }

    /** PostgreSQL's statistics of the chunk rows (keyword search reads how common each word is from them). */
    Mono<Void> refreshWordStatistics() {
        return db.sql("analyze document_chunks").then();
    }

    /** A failed document keeps no chunks: its rows go, and it counts none. */
    Mono<Document> fail(TenantId tenant, UUID id, String error, boolean vectorsPendingRemoval) {
        return db.sql("with gone as (delete from document_chunks where document_id = :id and tenant_id = :tenant) "
                        + "update documents set status = 'failed', error = :error, vectors_pending_removal = :pending, chunk_count = 0 "
                        + "where id = :id and tenant_id = :tenant returning " + COLUMNS)
                .bind("error", error).bind("pending", vectorsPendingRemoval).bind("id", id).bind("tenant", tenant.value())
                .map(Documents::document)
                .one();
    }

    Mono<Document> findReadyBySha(TenantId tenant, String sha256) {
        return db.sql("select " + COLUMNS + " from documents where tenant_id = :tenant and sha256 = :sha and status = 'ready'")
                .bind("tenant", tenant.value()).bind("sha", sha256)
                .map(Documents::document)
                .one();
    }

    Mono<Document> find(TenantId tenant, UUID id) {
        return db.sql("select " + COLUMNS + " from documents where tenant_id = :tenant and id = :id")
                .bind("tenant", tenant.value()).bind("id", id)
                .map(Documents::document)
                .one();
    }

    Flux<Document> page(TenantId tenant, int page, int size) {
        return db.sql("select " + COLUMNS + " from documents where tenant_id = :tenant order by created_at desc, id limit :limit offset :offset")
                .bind("tenant", tenant.value()).bind("limit", size).bind("offset", (long) page * size)
                .map(Documents::document)
                .all();
    }

    Mono<Long> count(TenantId tenant) {
        return db.sql("select count(*) as n from documents where tenant_id = :tenant")
                .bind("tenant", tenant.value())
                .map(row -> row.get("n", Long.class))
                .one();
    }

    /**
     * The chunks of a document in order, read {@value #CHUNK_PAGE} at a time and each page only when the one before
     * is consumed: a document of any size streams in bounded memory and holds no connection between pages.
     */
    Flux<StoredChunk> chunks(TenantId tenant, UUID documentId) {
        return chunksAfter(tenant, documentId, -1);
    }

    private Flux<StoredChunk> chunksAfter(TenantId tenant, UUID documentId, int after) {
        return db.sql("""
                        select chunk_index, section, text from document_chunks
                        where tenant_id = :tenant and document_id = :doc and chunk_index > :after
                        order by chunk_index limit :limit""")
                .bind("tenant", tenant.value()).bind("doc", documentId).bind("after", after).bind("limit", CHUNK_PAGE)
                .map(row -> new StoredChunk(row.get("chunk_index", Integer.class), row.get("section", String.class), row.get("text", String.class)))
                .all()
                .collectList()
                .flatMapMany(page -> page.size() < CHUNK_PAGE ? Flux.fromIterable(page)
                        : Flux.fromIterable(page).concatWith(Flux.defer(() -> chunksAfter(tenant, documentId, page.get(page.size() - 1).index()))));
    }

    Mono<Long> delete(TenantId tenant, UUID id) {
        return db.sql("delete from documents where tenant_id = :tenant and id = :id")
                .bind("tenant", tenant.value()).bind("id", id)
                .fetch().rowsUpdated();
    }

    /** Ingestions whose instance stopped beating: crashed or cut off. Across tenants, for the recovery sweep. */
    Flux<Abandoned> abandoned(Duration silence) {
        return db.sql("""
                        select id, tenant_id from documents
                        where (status = 'ingesting' and heartbeat_at < now() - make_interval(secs => :secs))
                           or vectors_pending_removal
                        limit 100
                        """)
                .bind("secs", (double) silence.toSeconds())
                .map(row -> new Abandoned(new TenantId(row.get("tenant_id", UUID.class)), row.get("id", UUID.class)))
                .all();
    }

    Mono<Void> markAbandonedFailed(TenantId tenant, UUID id) {
        return db.sql("""
                        with gone as (delete from document_chunks d where d.document_id = :id and d.tenant_id = :tenant
                                      and exists (select 1 from documents where id = :id and tenant_id = :tenant and status <> 'ready'))
                        update documents set status = 'failed', vectors_pending_removal = false, chunk_count = 0,
                          error = coalesce(error, 'The ingestion was interrupted; upload the file again')
                        where tenant_id = :tenant and id = :id and status <> 'ready'
                        """)
                .bind("tenant", tenant.value()).bind("id", id)
                .then();
    }

    @Override
    public Mono<Usage> of(TenantId tenant) {
        return db.sql("select count(*) as docs, coalesce(sum(chunk_count), 0) as chunks, coalesce(sum(size_bytes), 0) as bytes "
                        + "from documents where tenant_id = :tenant and status = 'ready'")
                .bind("tenant", tenant.value())
                .map(row -> new Usage(row.get("docs", Long.class), ((Number) row.get("chunks")).longValue(),
                        ((Number) row.get("bytes")).longValue()))
                .one();
    }

    private static Document document(Readable row) {
        return new Document(row.get("id", UUID.class), row.get("filename", String.class), row.get("content_type", String.class),
                row.get("size_bytes", Long.class), row.get("sha256", String.class),
                Document.Status.of(row.get("status", String.class)), row.get("chunk_count", Integer.class),
                row.get("error", String.class), row.get("created_at", OffsetDateTime.class).toInstant());
    }

    record StoredChunk(int index, String section, String text) {
    }

    record Abandoned(TenantId tenant, UUID documentId) {
    }
}
