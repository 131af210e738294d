package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import io.docqa.ai.EmbeddingModel;
import io.docqa.ai.IndexGeneration;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.ai.VectorChunk;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.tenant.TenantId;

/**
 * A re-index among other instances and deletions: an instance whose configuration is not the deployment's desired one
 * leaves every tenant alone and follows the generation searched; a tenant's deletion takes its index from the re-index;
 * a document being deleted is no longer taken as rebuilt. (This instance is configured with int8, the default.)
 */
class IndexRolloutTest extends IntegrationTest {

    private static final String OLD = "all-minilm-l6-v2";
    private static final String NEW = "all-minilm-l6-v2-q";
    private static final String WORKER = "index-rollout-test";

    @Autowired
    VectorIndexes states;

    @Autowired
    IndexRebuild rebuild;

    @Autowired
    IndexGenerations generations;

    @Autowired
    DocumentRemoval removal;

    @Autowired
    Documents documents;

    @Autowired
    TenantVectorIndex index;

    @Test
    void anInstanceWhoseGenerationIsNotTheDesiredOneNeverRetargetsAndSearchesTheActiveOne() {
        TenantId tenant = new TenantId(api.signup("Rolling out").tenantId());
        states.desire(OLD).block(); // an instance of the old configuration started after this one
        try {
            at(tenant, OLD, null);
            assertThat(rebuild.run(tenant).block()).isEqualTo(IndexRebuild.Outcome.ELSEWHERE);
            assertThat(states.find(tenant).block().target()).as("re-targeted by an instance not desired").isNull();
            assertThat(generations.searched(tenant).block().id()).isEqualTo(OLD);
        } finally {
            states.desire(NEW).block();
        }
        // desired again: this instance's sweep (or this call) moves the tenant, which has no documents, to int8
        rebuild.run(tenant).block();
        await().atMost(Duration.ofMinutes(1)).until(() -> NEW.equals(states.find(tenant).block().active()));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> generations.searched(tenant).block().id().equals(NEW));
    }

    @Test
    void theLastStartedConfigurationIsTheDesiredOne() {
        assertThat(states.desired().block()).isEqualTo(NEW);
        states.desire(OLD).block();
        try {
            assertThat(states.desired().block()).isEqualTo(OLD);
        } finally {
            states.desire(NEW).block();
        }
        assertThat(states.desired().block()).isEqualTo(NEW);
    }

    @Test
    void aTenantsDeletionTakesItsIndexFromTheReindexBeforeDroppingTheCollections() {
        Account account = api.signup("Deleted while re-indexed");
        TenantId tenant = new TenantId(account.tenantId());
        at(tenant, OLD, WORKER);
        assertThat(states.retarget(tenant, WORKER, null, NEW).block()).isTrue();
        IndexGeneration fp32 = new IndexGeneration(EmbeddingModel.ALL_MINILM_L6_V2, IndexGeneration.FORMAT);
        index.add(tenant, fp32, List.of(new VectorChunk(UUID.randomUUID(), 0, null, "rebuilt", new float[384]))).block();
        assertThat(states.holds(tenant, WORKER, NEW).block()).isTrue();
        assertThat(states.deleted(tenant).block()).isFalse();

        removal.erase(tenant).block();

        assertThat(states.holds(tenant, WORKER, NEW).block()).as("the re-index's lease is fenced").isFalse();
        assertThat(states.deleted(tenant).block()).isTrue();
        assertThat(states.lease(tenant, rebuild.instance(), Duration.ofMinutes(1), Duration.ZERO).blockOptional())
                .as("no instance takes the index of a tenant being deleted").isEmpty();
        assertThat(index.count(tenant, fp32).block()).isZero();
    }

    @Test
    void aDocumentBeingDeletedIsNotMarkedRebuilt() {
        Account account = api.signup("Document deleted while re-indexed");
        TenantId tenant = new TenantId(account.tenantId());
        UUID document = UUID.fromString(api.upload(account, "gone.txt", "Shelf three holds washers."));
        documents.markDeleting(tenant, document).block();
        assertThat(states.rebuilt(tenant, document, NEW).block())
                .as("a re-index that wrote the document meanwhile removes what it wrote").isFalse();
    }

    @Test
    void documentsFromBeforeIndexGenerationsAreTakenToBeFp32s() {
        Account account = api.signup("From before index generations");
        TenantId tenant = new TenantId(account.tenantId());
        api.upload(account, "old.txt", "Shelf four holds bolts.");
        db.sql("delete from vector_indexes where tenant_id = :tenant").bind("tenant", tenant.value()).then().block();

        assertThat(states.adopt(IndexGeneration.BEFORE_GENERATIONS.id()).block()).isPositive();

        assertThat(IndexGeneration.BEFORE_GENERATIONS).isEqualTo(new IndexGeneration(EmbeddingModel.ALL_MINILM_L6_V2, 1));
        assertThat(states.find(tenant).block().active()).isEqualTo("all-minilm-l6-v2");
    }

    /** Gives the tenant an index row at {@code generation}, its re-index leased to {@code owner} (or nobody). */
    private void at(TenantId tenant, String generation, String owner) {
        var insert = db.sql("""
                        insert into vector_indexes (tenant_id, active_generation, owner_instance, lease_expires_at)
                        values (:tenant, :generation, :owner, case when cast(:owner as text) is null then null else now() + interval '10 minutes' end)""")
                .bind("tenant", tenant.value()).bind("generation", generation);
        (owner == null ? insert.bindNull("owner", String.class) : insert.bind("owner", owner)).then().block();
    }
}
