package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.reactive.TransactionalOperator;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The moment a tenant's searches move to a new index generation, against ingestions starting and running: no document
 * is left only in the old generation. (This instance is configured with int8, the default; the tenant is made to search fp32, and
 * the test holds the tenant's re-index lease, so the instance's own sweep keeps out.)
 */
class IndexSwitchTest extends IntegrationTest {

    private static final String OLD = "all-minilm-l6-v2";
    private static final String NEW = "all-minilm-l6-v2-q";
    private static final String WORKER = "index-switch-test";
    private static final String UPLOADER = "index-switch-test-uploads";

    @Autowired
    VectorIndexes states;

    @Autowired
    Documents documents;

    @Autowired
    TransactionalOperator tx;

    @Test
    void searchesSwitchOnlyWhenNoDocumentIsReadyOrBeingIngestedInTheOldGenerationOnly() {
        Account account = api.signup("Switching");
        TenantId tenant = searching(account, OLD);
        UUID early = UUID.fromString(api.upload(account, "early.txt", "Shelf one holds crates of bolts."));
        assertThat(generationOf(tenant, early)).isEqualTo(OLD);
        assertThat(states.lease(tenant, WORKER, Duration.ofMinutes(10), Duration.ZERO).block()).isNotNull();
        assertThat(states.retarget(tenant, WORKER, null, NEW).block()).isTrue();

        Documents.Started late = documents.start(tenant, "late.txt", "text/plain", UPLOADER, Duration.ofMinutes(1), NEW).block();
        assertThat(late.generation()).as("an upload goes to the generation searched").isEqualTo(OLD);
        assertThat(states.rebuilt(tenant, early, NEW).block()).isTrue();
        assertThat(states.switchOver(tenant, WORKER, NEW).block()).as("a document is being ingested in the old generation").isFalse();

        documents.saveChunks(tenant, late.document().id(), UPLOADER, List.of(new Documents.StoredChunk(0, null, "Shelf two holds nuts.")))
                .then(documents.finish(tenant, late.document().id(), UPLOADER, 20, "late-sha")).block();
        assertThat(states.switchOver(tenant, WORKER, NEW).block()).as("a ready document is in the old generation only").isFalse();
        assertThat(states.nextToRebuild(tenant, NEW, null).block()).isEqualTo(late.document().id());
        assertThat(states.rebuilt(tenant, late.document().id(), NEW).block()).isTrue();

        assertThat(states.switchOver(tenant, WORKER, NEW).block()).isTrue();
        assertThat(states.find(tenant).block()).extracting(VectorIndexes.State::active, VectorIndexes.State::target,
                VectorIndexes.State::retired).containsExactly(NEW, null, OLD);
        assertThat(documents.start(tenant, "after.txt", "text/plain", UPLOADER, Duration.ofMinutes(1), NEW).block().generation())
                .isEqualTo(NEW);
    }

    @Test
    void anIngestionStartingWhileTheSwitchHoldsTheIndexWaitsAndGoesToTheNewGeneration() {
        TenantId tenant = searching(api.signup("Racing"), OLD);
        CompletableFuture<Documents.Started> started = new CompletableFuture<>();
        Mono<Void> switching = db.sql("select 1 from vector_indexes where tenant_id = :tenant for update")
                .bind("tenant", tenant.value()).then()
                .then(Mono.fromRunnable(() -> documents.start(tenant, "racing.txt", "text/plain", UPLOADER, Duration.ofMinutes(1), NEW)
                        .subscribe(started::complete, started::completeExceptionally)))
                .then(Flux.interval(Duration.ofMillis(20)).onBackpressureDrop().concatMap(tick -> anInsertWaitsForALock()).filter(Boolean::booleanValue)
                        .next().timeout(Duration.ofMinutes(1)))
                .then(db.sql("update vector_indexes set active_generation = :new where tenant_id = :tenant")
                        .bind("new", NEW).bind("tenant", tenant.value()).then());
        tx.transactional(switching).block();

        assertThat(started.join().generation()).isEqualTo(NEW);
    }

    /** The tenant of {@code account}, made to search {@code generation}, its re-index leased to this test. */
    private TenantId searching(Account account, String generation) {
        TenantId tenant = new TenantId(account.tenantId());
        db.sql("""
                        insert into vector_indexes (tenant_id, active_generation, owner_instance, lease_expires_at)
                        values (:tenant, :generation, :owner, now() + interval '10 minutes')""")
                .bind("tenant", tenant.value()).bind("generation", generation).bind("owner", WORKER).then().block();
        return tenant;
    }

    private String generationOf(TenantId tenant, UUID document) {
        return db.sql("select index_generation from documents where tenant_id = :tenant and id = :id")
                .bind("tenant", tenant.value()).bind("id", document).map(row -> row.get("index_generation", String.class)).one().block();
    }

    /** Whether a statement starting a document waits for a lock (on the index row this test holds). */
    private Mono<Boolean> anInsertWaitsForALock() {
        return db.sql("""
                        select exists (select 1 from pg_stat_activity where wait_event_type = 'Lock'
                                       and query like '%insert into documents%' and datname = current_database()) as waiting""")
                .map(row -> row.get("waiting", Boolean.class)).one();
    }
}
