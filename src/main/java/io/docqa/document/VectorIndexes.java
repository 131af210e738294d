package io.docqa.document;

import java.time.Duration;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The state of each tenant's vector index ({@code vector_indexes}): the generation searched, the one a re-index builds
 * and the instance that holds the lease on that work, and which documents are in which generation. Every query is
 * scoped by tenant, except the one that finds the tenants with work to do.
 */
@Repository
class VectorIndexes {

    private static final String COLUMNS = "tenant_id, active_generation, target_generation, retired_generation, cursor_document, cursor_chunk, "
            + "switched_at is null or switched_at < now() - make_interval(secs => :grace) as retire_due";

    /** The owner of the index of a tenant being deleted. */
    private static final String DELETING = "tenant-deletion";

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    VectorIndexes(DatabaseClient db, TransactionalOperator tx) {
        this.db = db;
        this.tx = tx;
    }

    /** {@code retireGrace}: how long after a switch the old generation is still kept ({@link State#retireDue()}). */
    Mono<State> find(TenantId tenant, Duration retireGrace) {
        return db.sql("select " + COLUMNS + " from vector_indexes where tenant_id = :tenant")
                .bind("tenant", tenant.value()).bind("grace", seconds(retireGrace)).map(VectorIndexes::state).one();
    }

    Mono<State> find(TenantId tenant) {
        return find(tenant, Duration.ZERO);
    }

    /**
     * Tenants whose vectors are not (all) in {@code configured}, or that have a collection to drop, and that no other
     * instance holds a live lease on. Across tenants, for the re-index sweep.
     */
    Flux<TenantId> withWork(String configured, String instance, int limit, Duration retireGrace) {
        return db.sql("""
                        select tenant_id from vector_indexes
                        where (active_generation <> :configured or target_generation is not null
                               or (retired_generation is not null and switched_at < now() - make_interval(secs => :grace)))
                          and (owner_instance is null or owner_instance = :owner or lease_expires_at < now())
                        order by tenant_id limit :limit""")
                .bind("configured", configured).bind("owner", instance).bind("limit", limit).bind("grace", seconds(retireGrace))
                .map(row -> new TenantId(row.get("tenant_id", UUID.class))).all();
    }

    /**
     * Gives every tenant with documents but no index row (its documents are from before index generations) one, at
     * {@code generation}: the one their vectors were made with. The number of rows made.
     */
    Mono<Long> adopt(String generation) {
        return db.sql("""
                        insert into vector_indexes (tenant_id, active_generation)
                        select distinct d.tenant_id, :generation from documents d
                        where not exists (select 1 from vector_indexes v where v.tenant_id = d.tenant_id)
                        on conflict (tenant_id) do nothing""")
                .bind("generation", generation).fetch().rowsUpdated();
    }

    /** Makes {@code generation} the one the whole deployment moves to (the instance started last decides). */
    Mono<Void> desire(String generation) {
        return db.sql("""
                        insert into desired_index_generation (id, generation, set_at) values (true, :generation, now())
                        on conflict (id) do update set generation = excluded.generation, set_at = excluded.set_at""")
                .bind("generation", generation).then();
    }

    /** The generation the deployment moves to; empty before any instance said. */
    Mono<String> desired() {
        return db.sql("select generation from desired_index_generation where id")
                .map(row -> row.get("generation", String.class)).one();
    }

    /**
     * Takes the tenant's index away from any re-index, for good: its deletion is under way. A re-index of it finds its
     * lease lost at its next step.
     */
    Mono<Void> fenceForDeletion(TenantId tenant) {
        return db.sql("""
                        update vector_indexes set owner_instance = :owner, lease_expires_at = now() + interval '1 hour'
                        where tenant_id = :tenant""")
                .bind("owner", DELETING).bind("tenant", tenant.value()).then();
    }

    /** Whether the tenant's index is gone or being deleted ({@link #fenceForDeletion}). */
    Mono<Boolean> deleted(TenantId tenant) {
        return db.sql("select owner_instance from vector_indexes where tenant_id = :tenant")
                .bind("tenant", tenant.value())
                .map(row -> DELETING.equals(row.get("owner_instance", String.class))).one().defaultIfEmpty(true);
    }

    /** Whether {@code instance} still holds the lease on the tenant's re-index into {@code target}. */
    Mono<Boolean> holds(TenantId tenant, String instance, String target) {
        return db.sql("select 1 from vector_indexes where tenant_id = :tenant and owner_instance = :owner and target_generation = :target")
                .bind("tenant", tenant.value()).bind("owner", instance).bind("target", target)
                .map(row -> true).one().defaultIfEmpty(false);
    }

    /** Renews the lease while {@code instance} holds it; false when it does not. */
    Mono<Boolean> renew(TenantId tenant, String instance, Duration lease) {
        return db.sql("""
                        update vector_indexes set lease_expires_at = now() + make_interval(secs => :lease)
                        where tenant_id = :tenant and owner_instance = :owner returning tenant_id""")
                .bind("lease", seconds(lease)).bind("tenant", tenant.value()).bind("owner", instance)
                .map(row -> true).one().defaultIfEmpty(false);
    }

    /** How many tenants are not (all) at {@code configured} yet. */
    Mono<Long> behind(String configured) {
        return db.sql("select count(*) as n from vector_indexes where active_generation <> :configured or target_generation is not null")
                .bind("configured", configured).map(row -> row.get("n", Long.class)).one();
    }

    /** Takes (or renews) the lease on the tenant's index; empty when another instance holds a live one. */
    Mono<State> lease(TenantId tenant, String instance, Duration lease, Duration retireGrace) {
        return db.sql("""
                        update vector_indexes set owner_instance = :owner, lease_expires_at = now() + make_interval(secs => :lease)
                        where tenant_id = :tenant and (owner_instance is null or owner_instance = :owner or lease_expires_at < now())
                        returning\s""" + COLUMNS)
                .bind("tenant", tenant.value()).bind("owner", instance).bind("lease", seconds(lease))
                .bind("grace", seconds(retireGrace))
                .map(VectorIndexes::state).one();
    }

    /** Gives the lease up, so that another instance may go on at once. */
    Mono<Void> release(TenantId tenant, String instance) {
        return db.sql("update vector_indexes set owner_instance = null, lease_expires_at = null where tenant_id = :tenant and owner_instance = :owner")
                .bind("tenant", tenant.value()).bind("owner", instance).then();
    }

    /** Gives up every lease of this instance (it stops). */
    Mono<Void> releaseAll(String instance) {
        return db.sql("update vector_indexes set owner_instance = null, lease_expires_at = null where owner_instance = :owner")
                .bind("owner", instance).then();
    }

    /**
     * Builds {@code target} (null: nothing) from now on, instead of the target before it: documents marked as in the
     * one before are in the active generation only again (they were in both). Only while {@code instance} holds the lease.
     */
    Mono<Boolean> retarget(TenantId tenant, String instance, String before, String target) {
        var spec = db.sql("""
                        with held as (select tenant_id, active_generation from vector_indexes where tenant_id = :tenant and owner_instance = :owner for update),
                        reset as (update documents d set index_generation = h.active_generation from held h
                                  where d.tenant_id = h.tenant_id and d.index_generation = :before)
                        update vector_indexes v set target_generation = cast(:target as text), cursor_document = null, cursor_chunk = -1,
                          started_at = case when cast(:target as text) is null then null else now() end
                        from held h where v.tenant_id = h.tenant_id returning v.tenant_id""")
                .bind("tenant", tenant.value()).bind("owner", instance)
                .bind("before", before == null ? "" : before);
        return (target == null ? spec.bindNull("target", String.class) : spec.bind("target", target))
                .map(row -> true).one().defaultIfEmpty(false);
    }

    /** The collection of the retired generation is gone. */
    Mono<Void> retiredDropped(TenantId tenant, String retired) {
        return db.sql("update vector_indexes set retired_generation = null where tenant_id = :tenant and retired_generation = :retired")
                .bind("tenant", tenant.value()).bind("retired", retired).then();
    }

    /**
     * The next ready document of the tenant not yet in {@code target}: the one the cursor is in first, then by id.
     * Empty when every ready document is in it.
     */
    Mono<UUID> nextToRebuild(TenantId tenant, String target, UUID cursor) {
        return db.sql("""
                        select id from documents where tenant_id = :tenant and status = 'ready' and index_generation is distinct from :target
                        order by (id = :cursor) desc, id limit 1""")
                .bind("tenant", tenant.value()).bind("target", target).bind("cursor", cursor == null ? new UUID(0, 0) : cursor)
                .map(row -> row.get("id", UUID.class)).one();
    }

    /**
     * Records that the chunks of {@code document} up to {@code chunk} are in the target, and renews the lease; false when
     * {@code instance} no longer holds it (or the target changed).
     */
    Mono<Boolean> advance(TenantId tenant, String instance, String target, UUID document, int chunk, Duration lease) {
        return db.sql("""
                        update vector_indexes set cursor_document = :doc, cursor_chunk = :chunk, lease_expires_at = now() + make_interval(secs => :lease)
                        where tenant_id = :tenant and owner_instance = :owner and target_generation = :target returning tenant_id""")
                .bind("doc", document).bind("chunk", chunk).bind("lease", seconds(lease))
                .bind("tenant", tenant.value()).bind("owner", instance).bind("target", target)
                .map(row -> true).one().defaultIfEmpty(false);
    }

    /** Marks a document as in {@code target}; false when it is not ready any more (deleted meanwhile). */
    Mono<Boolean> rebuilt(TenantId tenant, UUID document, String target) {
        return db.sql("update documents set index_generation = :target where tenant_id = :tenant and id = :doc and status = 'ready' returning id")
                .bind("target", target).bind("tenant", tenant.value()).bind("doc", document)
                .map(row -> true).one().defaultIfEmpty(false);
    }

    /**
     * Moves the tenant's searches to {@code target} when every ready or ingesting document is in it: in one transaction
     * that holds the index row, which every ingestion share-locks when it starts, so none can start in the old
     * generation unseen. The old generation becomes the retired one. False when the time has not come (or the lease is
     * lost).
     */
    Mono<Boolean> switchOver(TenantId tenant, String instance, String target) {
        Mono<Boolean> held = db.sql("select 1 from vector_indexes where tenant_id = :tenant and owner_instance = :owner and target_generation = :target for update")
                .bind("tenant", tenant.value()).bind("owner", instance).bind("target", target)
                .map(row -> true).one().defaultIfEmpty(false);
        Mono<Boolean> complete = db.sql("""
                        select not exists (select 1 from documents where tenant_id = :tenant and status in ('ready', 'ingesting')
                                           and index_generation is distinct from :target) as complete""")
                .bind("tenant", tenant.value()).bind("target", target)
                .map(row -> row.get("complete", Boolean.class)).one();
        Mono<Boolean> switched = db.sql("""
                        update vector_indexes set retired_generation = active_generation, active_generation = target_generation,
                          target_generation = null, cursor_document = null, cursor_chunk = -1, switched_at = now()
                        where tenant_id = :tenant returning tenant_id""")
                .bind("tenant", tenant.value()).map(row -> true).one().defaultIfEmpty(false);
        return tx.transactional(held.filter(Boolean::booleanValue)
                .flatMap(yes -> complete).filter(Boolean::booleanValue)
                .flatMap(yes -> switched)
                .defaultIfEmpty(false));
    }

    /** What a re-index of the tenant has done: ready documents and chunks, and those of them in {@code target}. */
    Mono<Progress> progress(TenantId tenant, String target) {
        return db.sql("""
                        select count(*) as documents, coalesce(sum(chunk_count), 0) as chunks,
                          count(*) filter (where index_generation = :target) as documents_done,
                          coalesce(sum(chunk_count) filter (where index_generation = :target), 0)
                            + coalesce((select v.cursor_chunk + 1 from vector_indexes v join documents c on c.id = v.cursor_document
                                        where v.tenant_id = :tenant and v.target_generation = :target
                                          and c.index_generation is distinct from :target and c.status = 'ready'), 0) as chunks_done
                        from documents where tenant_id = :tenant and status = 'ready'""")
                .bind("tenant", tenant.value()).bind("target", target == null ? "" : target)
                .map(row -> new Progress(row.get("documents", Long.class), ((Number) row.get("chunks")).longValue(),
                        row.get("documents_done", Long.class), ((Number) row.get("chunks_done")).longValue()))
                .one();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static State state(Readable row) {
        return new State(new TenantId(row.get("tenant_id", UUID.class)), row.get("active_generation", String.class),
                row.get("target_generation", String.class), row.get("retired_generation", String.class),
                row.get("cursor_document", UUID.class), row.get("cursor_chunk", Integer.class), row.get("retire_due", Boolean.class));
    }

    /**
     * {@code retireDue}: the switch to the active generation is old enough for the retired one to be dropped (a
     * question that chose the retired one just before the switch has had its answer).
     */
    record State(TenantId tenant, String active, String target, String retired, UUID cursorDocument, int cursorChunk,
            boolean retireDue) {
    }

    record Progress(long documents, long chunks, long documentsDone, long chunksDone) {
    }
}
