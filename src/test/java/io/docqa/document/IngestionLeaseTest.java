package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.RawUpload;
import io.docqa.support.ServiceInstance;
import io.docqa.support.Uploads;
import io.docqa.tenant.TenantId;

/**
 * Two instances of the service on one database, both with 3-second ingestion leases and no sweep of their own: the
 * test runs instance B's sweep itself while instance A works. A's work is never taken from it while it progresses;
 * it stops once B took it over, or once it stalled; and it ends failed, with a reason, when A shuts down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestionLeaseTest extends IntegrationTest {

    static final Duration LEASE = Duration.ofSeconds(3);

    @Autowired
    ConfigurableEnvironment shared;

    @Autowired
    TenantVectorIndex index;

    ServiceInstance a;
    ServiceInstance b;

    @BeforeAll
    void startTwoInstances() {
        // batches of 8 chunks, so that embedding reports progress well within a lease even on a loaded machine
        Map<String, String> settings = Map.of("docqa.documents.ingestion-lease", LEASE.toMillis() + "ms",
                "docqa.documents.recovery-interval", "1h", "docqa.documents.embed-batch-size", "8");
        a = ServiceInstance.startLike(shared, settings);
        b = ServiceInstance.startLike(shared, settings);
    }

    @AfterAll
    void stopThem() {
        a.close();
        b.close();
    }

    @Test
    @Order(1)
    void aSlowClientKeepsItsLeaseAndAnotherInstancesSweepLeavesItsUploadAlone() {
        Account owner = api.signup("Slow client");
        byte[] text = Uploads.prose("patience", 40).getBytes(StandardCharsets.UTF_8);
        RawUpload upload = RawUpload.start(a.port(), owner.bearer(), "application/json").fileHeader("slow.txt")
                .send(Arrays.copyOf(text, 4096));
        await().atMost(Duration.ofSeconds(30)).until(() -> "ingesting".equals(row(owner, "slow.txt").status()));

        long started = System.nanoTime();
        int sent = 4096;
        while (System.nanoTime() - started < 3 * LEASE.toNanos()) {
            OffsetDateTime before = row(owner, "slow.txt").leaseExpiresAt();
            upload.send(Arrays.copyOfRange(text, sent, sent + 128));
            sent += 128;
            await().atMost(Duration.ofSeconds(20)).until(() -> row(owner, "slow.txt").leaseExpiresAt().isAfter(before));
            b.bean(IngestionRecovery.class).sweep().block();
            assertThat(row(owner, "slow.txt").status()).isEqualTo("ingesting");
        }
        upload.send(Arrays.copyOfRange(text, sent, text.length)).send("\r\n".getBytes(StandardCharsets.US_ASCII)).finish();

        assertThat(upload.readUntil("\"status\":\"ready\"")).isTrue();
        assertThat(row(owner, "slow.txt").status()).isEqualTo("ready");
    }

    @Test
    @Order(2)
    void anIngestionTakenOverByAnotherInstanceStopsAndItsClientIsToldSo() {
        Account owner = api.signup("Taken over");
        RawUpload upload = uploadUntilFirstProgress(owner, "taken.txt");
        UUID id = row(owner, "taken.txt").id();

        // as if A had stopped renewing: its lease runs out, and B's sweep takes the document over
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            db.sql("update documents set lease_expires_at = now() - interval '1 second' where id = :id and status = 'ingesting'")
                    .bind("id", id).then().block();
            b.bean(IngestionRecovery.class).sweep().block();
            return "failed".equals(row(owner, "taken.txt").status());
        });

        assertThat(upload.readUntil("event:error")).isTrue();
        assertThat(upload.readUntil("ingestion_interrupted")).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> a.bean(IngestionLeases.class).inFlight() == 0);
        Row taken = row(owner, "taken.txt");
        assertThat(taken.status()).isEqualTo("failed");
        assertThat(taken.chunkCount()).isZero();
        assertThat(chunkRows(id)).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> index.count(new TenantId(owner.tenantId()), id).block() == 0);
    }

    @Test
    @Order(3)
    void anIngestionThatStopsProgressingIsFailedByItsOwnInstance() {
        Account owner = api.signup("Stalled");
        RawUpload upload = RawUpload.start(a.port(), owner.bearer(), "application/json").fileHeader("stalled.txt")
                .send(Arrays.copyOf(Uploads.prose("silence", 20).getBytes(StandardCharsets.UTF_8), 2048));
        await().atMost(Duration.ofSeconds(30)).until(() -> "ingesting".equals(row(owner, "stalled.txt").status()));

        // the client sends nothing more and stays connected
        assertThat(upload.readUntil("ingestion_stalled")).isTrue();
        Row stalled = row(owner, "stalled.txt");
        assertThat(stalled.status()).isEqualTo("failed");
        assertThat(stalled.error()).contains("no progress");
        assertThat(a.bean(IngestionLeases.class).inFlight()).isZero();
        upload.close();
    }

    @Test
    @Order(4)
    void anIngestionCutByShutdownEndsFailedWithAReason() {
        Account owner = api.signup("Shut down");
        uploadUntilFirstProgress(owner, "cut.txt").abort(); // every byte is here: the ingestion goes on without its client, until A stops
        assertThat(row(owner, "cut.txt").status()).isEqualTo("ingesting");

        a.close();

        Row cut = row(owner, "cut.txt");
        assertThat(cut.status()).isEqualTo("failed");
        assertThat(cut.error()).contains("shut down");
        assertThat(chunkRows(cut.id())).isZero();
        assertThat(index.count(new TenantId(owner.tenantId()), cut.id()).block()).isZero();
    }

    /** Every byte sent, and a first batch stored: 700 paragraphs make ~90 batches of 8 still to go. */
    private RawUpload uploadUntilFirstProgress(Account owner, String filename) {
        RawUpload upload = RawUpload.start(a.port(), owner.bearer(), "text/event-stream")
                .file(filename, Uploads.prose("endings", 700).getBytes(StandardCharsets.UTF_8)).finish();
        assertThat(upload.readUntil("event:progress")).isTrue();
        return upload;
    }

    private Row row(Account owner, String filename) {
        return db.sql("select id, status, error, chunk_count, lease_expires_at from documents where tenant_id = :tenant and filename = :name")
                .bind("tenant", owner.tenantId()).bind("name", filename)
                .map(r -> new Row(r.get("id", UUID.class), r.get("status", String.class), r.get("error", String.class),
                        r.get("chunk_count", Integer.class), r.get("lease_expires_at", OffsetDateTime.class)))
                .one()
                .defaultIfEmpty(new Row(null, "absent", null, 0, null))
                .block();
    }

    private long chunkRows(UUID documentId) {
        return db.sql("select count(*) as n from document_chunks where document_id = :id").bind("id", documentId)
                .map(r -> r.get("n", Long.class)).one().block();
    }

    record Row(UUID id, String status, String error, int chunkCount, OffsetDateTime leaseExpiresAt) {
    }
}
