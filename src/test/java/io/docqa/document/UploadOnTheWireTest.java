package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.RawUpload;
import io.docqa.support.Uploads;
import io.docqa.tenant.TenantId;

/**
 * Uploads as they arrive on the socket, from a client written by hand: one that goes away half-way, one that goes
 * away once every byte was sent, one that sends more than the limit (1 MB in the tests).
 */
class UploadOnTheWireTest extends IntegrationTest {

    @Autowired
    IngestionLeases leases;

    @Autowired
    TenantVectorIndex index;

    @Test
    void aClientThatGoesAwayHalfWayStopsTheWorkWithinASecondAndLeavesAFailedDocument() {
        Account owner = api.signup("Leaves half-way");
        RawUpload upload = RawUpload.start(port, owner.bearer(), "application/json")
                .file("first.txt", Uploads.prose("arrivals", 3).getBytes(StandardCharsets.UTF_8))
                .fileHeader("second.txt")
                .send(Arrays.copyOf(Uploads.prose("departures", 2000).getBytes(StandardCharsets.UTF_8), 100_000));
        // the first is indexed (every byte of it arrived) while the second is still streaming in
        await().atMost(Duration.ofSeconds(60)).until(() -> "ingesting".equals(row(owner, "second.txt").status())
                && "ready".equals(row(owner, "first.txt").status()));

        long left = System.nanoTime();
        upload.abort();
        await().atMost(Duration.ofSeconds(1)).until(() -> leases.inFlight() == 0);
        long stoppedMillis = (System.nanoTime() - left) / 1_000_000;

        Row second = row(owner, "second.txt");
        assertThat(second.status()).as("stopped after %d ms", stoppedMillis).isEqualTo("failed");
        assertThat(second.error()).contains("interrupted");
        assertThat(second.chunkCount()).isZero();
        assertThat(chunkRows(second.id())).isZero();
        assertThat(index.count(new TenantId(owner.tenantId()), second.id()).block()).isZero();
        assertThat(row(owner, "first.txt").status()).isEqualTo("ready");
    }

    @Test
    void aFileWhoseBytesAllArrivedIsIndexedToTheEndAfterItsClientLeft() {
        Account owner = api.signup("Leaves at the end");
        RawUpload upload = RawUpload.start(port, owner.bearer(), "text/event-stream")
                .file("whole.txt", Uploads.prose("persistence", 2800).getBytes(StandardCharsets.UTF_8))
                .finish();
        // the first progress comes once the file is spooled (every byte here) and a first batch is stored
        assertThat(upload.readUntil("event:progress")).isTrue();
        upload.abort();
        assertThat(row(owner, "whole.txt").status()).as("still indexing when the client left").isEqualTo("ingesting");

        await().atMost(Duration.ofSeconds(120)).until(() -> !"ingesting".equals(row(owner, "whole.txt").status()));
        Row whole = row(owner, "whole.txt");
        assertThat(whole.status()).isEqualTo("ready");
        assertThat(whole.chunkCount()).as("more than one batch (DOCQA_DOCUMENTS_EMBED_BATCH_SIZE 256)").isGreaterThan(256);
        assertThat(chunkRows(whole.id())).isEqualTo(whole.chunkCount());
        assertThat(index.count(new TenantId(owner.tenantId()), whole.id()).block()).isEqualTo(whole.chunkCount());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(uploadAuditRequestIds(whole.id()))
                .as("recorded as uploaded, with the request it came in").singleElement().isNotEqualTo("(none)"));
    }

    @Test
    void anUploadIsRefusedAsSoonAsItsBytesCrossTheLimitWhileTheRestIsStillToCome() {
        Account owner = api.signup("Too much on the wire");
        RawUpload upload = RawUpload.start(port, owner.bearer(), "application/json").fileHeader("endless.txt");
        byte[] block = Arrays.copyOf(Uploads.prose("volume", 400).getBytes(StandardCharsets.UTF_8), 64 * 1024);
        for (int i = 0; i < 17; i++) { // 1.06 MB of a body that never ends
            upload.send(block);
        }
        assertThat(upload.readLine()).startsWith("HTTP/1.1 413");
        assertThat(upload.readUntil("file_too_large")).isTrue();
        upload.close();
        assertThat(db.sql("select count(*) as n from documents where tenant_id = :tenant").bind("tenant", owner.tenantId())
                .map(r -> r.get("n", Long.class)).one().block()).isZero();
    }

    private Row row(Account owner, String filename) {
        return db.sql("select id, status, error, chunk_count from documents where tenant_id = :tenant and filename = :name")
                .bind("tenant", owner.tenantId()).bind("name", filename)
                .map(r -> new Row(r.get("id", UUID.class), r.get("status", String.class), r.get("error", String.class),
                        r.get("chunk_count", Integer.class)))
                .one()
                .defaultIfEmpty(new Row(null, "absent", null, 0))
                .block();
    }

    private List<String> uploadAuditRequestIds(UUID documentId) {
        return db.sql("select request_id from audit_events where action = 'document_uploaded' and target_id = :id")
                .bind("id", documentId.toString())
                .map(r -> Optional.ofNullable(r.get("request_id", String.class)).orElse("(none)"))
                .all().collectList().block();
    }

    private long chunkRows(UUID documentId) {
        return db.sql("select count(*) as n from document_chunks where document_id = :id").bind("id", documentId)
                .map(r -> r.get("n", Long.class)).one().block();
    }

    record Row(UUID id, String status, String error, int chunkCount) {
    }
}
