package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import io.docqa.document.DocumentDirectory.ChunkKey;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.tenant.TenantId;
import reactor.test.StepVerifier;

/** The texts of the vector path's matches come from PostgreSQL: only the caller's, only of ready documents. */
class DocumentDirectoryTest extends IntegrationTest {

    @Autowired
    DocumentDirectory directory;

    @Test
    void theTextsOfMatchedChunksComeOnlyFromTheCallersReadyDocuments() {
        Account a = api.signup("Texts A");
        Account b = api.signup("Texts B");
        UUID mine = api.uploadText(a, "mine.txt", "The lighthouse keeper logs the tides every morning.");
        UUID theirs = api.uploadText(b, "theirs.txt", "The zebracorn protocol opens the vault at dawn.");
        TenantId tenant = new TenantId(a.tenantId());
        List<ChunkKey> asked = List.of(new ChunkKey(theirs, 0), new ChunkKey(mine, 99), new ChunkKey(mine, 0));

        StepVerifier.create(directory.readyChunks(tenant, asked))
                .assertNext(found -> assertThat(found).singleElement().satisfies(chunk -> {
                    assertThat(chunk.key()).isEqualTo(new ChunkKey(mine, 0));
                    assertThat(chunk.filename()).isEqualTo("mine.txt");
                    assertThat(chunk.text()).contains("lighthouse keeper");
                }))
                .verifyComplete();

        http.delete().uri("/api/v1/documents/{id}", mine).header(HttpHeaders.AUTHORIZATION, a.bearer())
                .exchange().expectStatus().isNoContent();
        StepVerifier.create(directory.readyChunks(tenant, asked))
                .assertNext(found -> assertThat(found).isEmpty())
                .verifyComplete();
    }
}
