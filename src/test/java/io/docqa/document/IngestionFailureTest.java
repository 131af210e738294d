package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.ai.VectorChunk;
import io.docqa.support.Api.Account;
import io.docqa.support.ChromaServer;
import io.docqa.support.IntegrationTest;
import io.docqa.support.Uploads;
import io.docqa.tenant.TenantId;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** Chroma going away, a crashed ingestion and a deleted tenant leave no vectors behind. */
class IngestionFailureTest extends IntegrationTest {

    @Autowired
    TenantVectorIndex index;

    @Autowired
    IngestionRecovery recovery;

    @Test
    void chromaStoppingDuringAnIngestionFailsTheDocumentAndRecoveryRemovesItsVectors() {
        assumeTrue(ChromaServer.get().restartable(), "this Chroma cannot be stopped by the tests");
        Account owner = api.signup("Chroma dies");
        ChromaServer chroma = ChromaServer.get();
        List<ServerSentEvent<JsonNode>> events;
        try {
            events = http.post().uri("/api/v1/documents")
                    .header(HttpHeaders.AUTHORIZATION, owner.bearer())
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text("doomed.txt", Uploads.prose("outages", 2000)))))
                    .exchange()
                    .expectStatus().isOk()
                    .returnResult(new ParameterizedTypeReference<ServerSentEvent<JsonNode>>() { })
                    .getResponseBody()
                    .doOnNext(event -> {
                        if ("progress".equals(event.event()) && event.data().get("chunks_embedded").asInt() > 0) {
                            chroma.stop();
                        }
                    })
                    .collectList()
                    .block(Duration.ofSeconds(60));
        }
        finally {
            chroma.start();
        }
        ServerSentEvent<JsonNode> last = events.get(events.size() - 1);
        assertThat(last.event()).isEqualTo("error");
        assertThat(last.data().get("code").asString()).isEqualTo("vector_store_unavailable");
        String id = events.get(0).data().get("document_id").asString();

        http.get().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("failed").jsonPath("$.error").isNotEmpty()
                .jsonPath("$.chunk_count").isEqualTo(0);
        assertThat(chunkRows(UUID.fromString(id))).isZero();
        recovery.sweep().as(StepVerifier::create).expectNextCount(1).verifyComplete();
        index.count(new TenantId(owner.tenantId()), UUID.fromString(id))
                .as(StepVerifier::create).expectNext(0L).verifyComplete();
    }

    @Test
    void anIngestionLeftBehindByACrashIsResolved() {
        Account owner = api.signup("Crashed");
        TenantId tenant = new TenantId(owner.tenantId());
        UUID id = UUID.randomUUID();
        db.sql("insert into documents (id, tenant_id, filename, content_type, status, owner_instance, lease_expires_at) "
                        + "values (:id, :tenant, 'half.txt', 'text/plain', 'ingesting', 'a-crashed-instance', now() - interval '1 second')")
                .bind("id", id).bind("tenant", tenant.value())
                .then().as(StepVerifier::create).verifyComplete();
        float[] vector = new float[384];
        vector[0] = 1;
        index.add(tenant, List.of(new VectorChunk(id, 0, null, "half of a document", vector)))
                .as(StepVerifier::create).verifyComplete();
        index.count(tenant, id).as(StepVerifier::create).expectNext(1L).verifyComplete();
        db.sql("insert into document_chunks (document_id, tenant_id, chunk_index, text) values (:id, :tenant, 0, 'half of a document')")
                .bind("id", id).bind("tenant", tenant.value())
                .then().as(StepVerifier::create).verifyComplete();
        db.sql("update documents set chunk_count = 1 where id = :id").bind("id", id).then().as(StepVerifier::create).verifyComplete();

        recovery.sweep().as(StepVerifier::create).expectNextMatches(n -> n >= 1).verifyComplete();

        index.count(tenant, id).as(StepVerifier::create).expectNext(0L).verifyComplete();
        http.get().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectBody().jsonPath("$.status").isEqualTo("failed").jsonPath("$.chunk_count").isEqualTo(0);
        assertThat(chunkRows(id)).isZero();
    }

    @Test
    void anIngestionWhoseLeaseRunsIsLeftToItsInstance() {
        Account owner = api.signup("Still working elsewhere");
        UUID id = UUID.randomUUID();
        db.sql("insert into documents (id, tenant_id, filename, content_type, status, owner_instance, lease_expires_at) "
                        + "values (:id, :tenant, 'slow.pdf', 'application/pdf', 'ingesting', 'another-live-instance', now() + interval '1 minute')")
                .bind("id", id).bind("tenant", owner.tenantId())
                .then().as(StepVerifier::create).verifyComplete();

        recovery.sweep().as(StepVerifier::create).expectNextCount(1).verifyComplete();

        http.get().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectBody().jsonPath("$.status").isEqualTo("ingesting");
    }

    private long chunkRows(UUID documentId) {
        return db.sql("select count(*) as n from document_chunks where document_id = :id").bind("id", documentId)
                .map(row -> row.get("n", Long.class)).one().block();
    }

    @Test
    void deletingWhileChromaIsDownIsA503AndDeletesNothing() {
        assumeTrue(ChromaServer.get().restartable(), "this Chroma cannot be stopped by the tests");
        Account owner = api.signup("Delete while down");
        String id = http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text("keep.txt", Uploads.prose("resilience", 3)))))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("documents").get(0).get("id").asString();
        ChromaServer.get().stop();
        try {
            http.delete().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("vector_store_unavailable");
        }
        finally {
            ChromaServer.get().start();
        }
        http.get().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("ready");
        index.count(new TenantId(owner.tenantId()), UUID.fromString(id))
                .as(StepVerifier::create).expectNextMatches(n -> n > 0).verifyComplete();
    }

    @Test
    void deletingTheTenantDropsItsCollection() {
        Account owner = api.signup("Vectors go");
        TenantId tenant = new TenantId(owner.tenantId());
        http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text("v.txt", Uploads.prose("vectors", 3)))))
                .exchange().expectStatus().isCreated();
        index.count(tenant).as(StepVerifier::create).expectNextMatches(n -> n > 0).verifyComplete();
        http.delete().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isNoContent();
        index.count(tenant).as(StepVerifier::create).expectNext(0L).verifyComplete();
    }
}
