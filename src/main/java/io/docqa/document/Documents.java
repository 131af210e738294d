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

/** Documents and their chunk texts. Every query is scoped by tenant, except the recovery sweep's. */
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

    /**
     * A new ingesting document, owned by {@code instance} with a lease of {@code lease} from now, and the index generation
     * its vectors go to: the tenant's active one (its row made at the first upload, at {@code configured}). The row of
     * the tenant's index is share-locked meanwhile, so that a re-index switching the tenant over sees this document.
     */
    Mono<Started> start(TenantId tenant, String filename, String contentType, String instance, Duration lease, String configured) {
        return start(tenant, filename, contentType, instance, lease, configured, 0);
    }

    /** As {@link #start(TenantId, String, String, String, Duration, String)}, with {@code reservedBytes} of the tenant's bytes reserved. */
    Mono<Started> start(TenantId tenant, String filename, String contentType, String instance, Duration lease, String configured,
            long reservedBytes) {
        return db.sql("""
                        with made as (insert into vector_indexes (tenant_id, active_generation) values (:tenant, :configured)
                                      on conflict (tenant_id) do nothing),
                        active as (select active_generation from vector_indexes where tenant_id = :tenant for share)
                        insert into documents (id, tenant_id, filename, content_type, status, owner_instance, lease_expires_at, index_generation,
                                               reserved_bytes)
                        values (:id, :tenant, :filename, :type, 'ingesting', :owner, now() + make_interval(secs => :lease),
                                coalesce((select active_generation from active), :configured), :reserved)
                        returning index_generation,\s""" + COLUMNS)
                .bind("id", UUID.randomUUID())
                .bind("tenant", tenant.value())
                .bind("filename", filename)
                .bind("type", contentType)
                .bind("owner", instance)
                .bind("lease", seconds(lease))
                .bind("reserved", reservedBytes)
                .bind("configured", configured)
                .map(row -> new Started(document(row), row.get("index_generation", String.class)))
                .one();
    }

    /**
     * Stores a batch of chunks of a document that {@code instance} still holds (its row locked meanwhile, so that no
     * sweep takes it over half-way); false, and nothing stored, when it does not.
     */
    Mono<Boolean> saveChunks(TenantId tenant, UUID documentId, String instance, List<StoredChunk> chunks) {
        StringBuilder sql = new StringBuilder("""
                with held as (select id from documents where id = :doc and tenant_id = :tenant and owner_instance = :owner
                              and status = 'ingesting' for update),
                stored as (insert into document_chunks (document_id, tenant_id, chunk_index, section, text, search)
                           select :doc, :tenant, v.i, v.s, v.t, chunk_search_vector(cast(:config as regconfig), v.s, v.t)
                           from (values\s""");
        for (int i = 0; i < chunks.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(cast(:i").append(i).append(" as integer), cast(:s").append(i)
                    .append(" as text), cast(:t").append(i).append(" as text))");
        }
        sql.append("""
                ) as v (i, s, t) where exists (select 1 from held)
                           on conflict (document_id, chunk_index) do update set section = excluded.section, text = excluded.text, search = excluded.search)
                update documents set chunk_count = chunk_count + :n where id in (select id from held) returning id""");
        var spec = db.sql(sql.toString()).bind("doc", documentId).bind("tenant", tenant.value()).bind("owner", instance)
                .bind("config", textSearch.textSearchConfig()).bind("n", chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            StoredChunk chunk = chunks.get(i);
            spec = spec.bind("i" + i, chunk.index()).bind("t" + i, chunk.text());
            spec = chunk.section() == null ? spec.bindNull("s" + i, String.class) : spec.bind("s" + i, chunk.section());
        }
        return spec.map(row -> true).one().defaultIfEmpty(false);
    }

    /**
     * Marks the document ready with its size and hash; empty when the same bytes are already a ready document, or when
     * {@code instance} no longer holds it.
     */
    Mono<Document> finish(TenantId tenant, UUID id, String instance, long size, String sha256) {
        return db.sql("""
                        update documents set status = 'ready', size_bytes = :size, sha256 = :sha, owner_instance = null, lease_expires_at = null
                        where id = :id and tenant_id = :tenant and status = 'ingesting' and owner_instance = :owner
                          and not exists (select 1 from documents d where d.tenant_id = :tenant and d.sha256 = :sha and d.status = 'ready')
                        returning """ + " " + COLUMNS)
                .bind("size", size).bind("sha", sha256).bind("id", id).bind("tenant", tenant.value()).bind("owner", instance)
                .map(Documents::document)
                .one()
                .onErrorResume(org.springframework.dao.DataIntegrityViolationException.class, e -> Mono.empty());
    }

    /** Whether {@code instance} still holds the ingesting document. */
    Mono<Boolean> holds(TenantId tenant, UUID id, String instance) {
        return db.sql("select 1 from documents where id = :id and tenant_id = :tenant and owner_instance = :owner and status = 'ingesting'")
                .bind("id", id).bind("tenant", tenant.value()).bind("owner", instance)
                .map(row -> true).one().defaultIfEmpty(false);
    }

    /**
     * PostgreSQL's statistics of the chunk rows (keyword search reads how common each word is from them), and the
     * pending list of the keyword index merged into the index: every keyword search reads that list whole, up to 4 MB
     * after a large document until autovacuum's next round (a GIN scan of 4.9 ms instead of 0.9 ms over 10,000 chunks).
     */
    Mono<Void> refreshWordStatistics() {
        return db.sql("analyze document_chunks").then()
                .then(db.sql("select gin_clean_pending_list('document_chunks_search_idx'::regclass)").then());
    }

    /**
     * A failed document keeps no chunks: its rows go, and it counts none. Only while {@code instance} holds it; empty
     * when it does not (another instance resolved it already).
     */
    Mono<Document> fail(TenantId tenant, UUID id, String instance, String error) {
        return db.sql("with gone as (delete from document_chunks c where c.document_id = :id and c.tenant_id = :tenant "
                        + "and exists (select 1 from documents where id = :id and owner_instance = :owner and status = 'ingesting')) "
                        + "update documents set status = 'failed', error = :error, chunk_count = 0, owner_instance = null, lease_expires_at = null "
                        + "where id = :id and tenant_id = :tenant and owner_instance = :owner and status = 'ingesting' returning " + COLUMNS)
                .bind("error", error).bind("id", id).bind("tenant", tenant.value()).bind("owner", instance)
                .map(Documents::document)
                .one();
    }

    /**
     * The vectors of a document that is not ready could not be removed: it is failed (if this instance still held it)
     * and marked for the recovery sweep, which removes them later.
     */
    Mono<Void> failWithVectorsPending(TenantId tenant, UUID id, String instance, String error) {
        return db.sql("""
                        with gone as (delete from document_chunks c where c.document_id = :id and c.tenant_id = :tenant
                                      and exists (select 1 from documents where id = :id and status <> 'ready'))
                        update documents set vectors_pending_removal = true, chunk_count = 0,
                          status = 'failed', error = case when status = 'ingesting' and owner_instance = :owner then :error else error end,
                          owner_instance = null, lease_expires_at = null
                        where id = :id and tenant_id = :tenant and status <> 'ready'
                          and (status = 'failed' or owner_instance = :owner)
                        """)
                .bind("error", error).bind("id", id).bind("tenant", tenant.value()).bind("owner", instance)
                .then();
    }

    /** Removes the row of an ingesting document that {@code instance} holds (a rejected file, or a duplicate). */
    Mono<Long> deleteIngesting(TenantId tenant, UUID id, String instance) {
        return db.sql("delete from documents where tenant_id = :tenant and id = :id and owner_instance = :owner and status = 'ingesting'")
                .bind("tenant", tenant.value()).bind("id", id).bind("owner", instance)
                .fetch().rowsUpdated();
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

    Flux<StoredChunk> chunksAfter(TenantId tenant, UUID documentId, int after) {
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

    private static final String DELETION_UNFINISHED = "Deletion did not finish";

    /**
     * Takes a ready document out of the ready ones before its vectors are removed and its row deleted: a re-index that
     * writes it meanwhile then finds it not ready ({@link VectorIndexes#rebuilt}) and removes what it wrote.
     */
    Mono<Void> markDeleting(TenantId tenant, UUID id) {
        return db.sql("update documents set status = 'failed', error = :error where tenant_id = :tenant and id = :id and status = 'ready'")
                .bind("error", DELETION_UNFINISHED).bind("tenant", tenant.value()).bind("id", id).then();
    }

    /** Puts a document that {@link #markDeleting} took out back among the ready ones, when its vectors stayed. */
    Mono<Void> unmarkDeleting(TenantId tenant, UUID id) {
        return db.sql("update documents set status = 'ready', error = null where tenant_id = :tenant and id = :id and status = 'failed' and error = :error")
                .bind("error", DELETION_UNFINISHED).bind("tenant", tenant.value()).bind("id", id).then();
    }

    Mono<Long> delete(TenantId tenant, UUID id) {
        return db.sql("delete from documents where tenant_id = :tenant and id = :id")
                .bind("tenant", tenant.value()).bind("id", id)
                .fetch().rowsUpdated();
    }

    /** Renews the leases that {@code instance} still holds among the given documents; the ids renewed. */
    Flux<UUID> renewLeases(String instance, List<TenantId> tenants, List<UUID> ids, Duration lease) {
        return db.sql("""
                        update documents set lease_expires_at = now() + make_interval(secs => :lease)
                        where owner_instance = :owner and status = 'ingesting'
                          and (id, tenant_id) in (select * from unnest(cast(:ids as uuid[]), cast(:tenants as uuid[])))
                        returning id""")
                .bind("lease", seconds(lease)).bind("owner", instance)
                .bind("ids", ids.toArray(UUID[]::new))
                .bind("tenants", tenants.stream().map(TenantId::value).toArray(UUID[]::new))
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    /**
     * Takes over ingestions whose lease expired (their instance crashed, was cut off or stopped progressing): failed,
     * chunk rows gone, vectors marked for removal. Across tenants, for the recovery sweep.
     */
    Mono<Long> takeOverExpired() {
        return db.sql("""
                        with expired as (select id, tenant_id from documents where status = 'ingesting' and lease_expires_at < now()
                                         order by lease_expires_at limit 100 for update skip locked),
                        gone as (delete from document_chunks c using expired e where c.document_id = e.id and c.tenant_id = e.tenant_id)
                        update documents d set status = 'failed', vectors_pending_removal = true, chunk_count = 0,
                          owner_instance = null, lease_expires_at = null,
                          error = coalesce(d.error, 'The ingestion was interrupted (its instance stopped making progress); upload the file again')
                        from expired e where d.id = e.id and d.tenant_id = e.tenant_id
                        """)
                .fetch().rowsUpdated();
    }

    /** Failed documents whose vectors are still to be removed. Across tenants, for the recovery sweep. */
    Flux<Abandoned> vectorsPendingRemoval() {
        return db.sql("select id, tenant_id from documents where vectors_pending_removal limit 100")
                .map(row -> new Abandoned(new TenantId(row.get("tenant_id", UUID.class)), row.get("id", UUID.class)))
                .all();
    }

    Mono<Void> vectorsRemoved(TenantId tenant, UUID id) {
        return db.sql("update documents set vectors_pending_removal = false where tenant_id = :tenant and id = :id and status = 'failed'")
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

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
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

    /** A document just started, and the index generation its vectors go to. */
    record Started(Document document, String generation) {
    }
}
