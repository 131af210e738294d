package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.tenant.TenantId;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** The keyword path, like the vector path, only ever reads the caller's tenant and its ready documents. */
class KeywordIsolationTest extends IntegrationTest {

    private static final String SECRET = "The zebracorn quokkafish protocol opens the vault at dawn.";

    @Autowired
    KeywordSearch keywords;

    @Test
    void aTenantsKeywordSearchNeverReturnsAnotherTenantsChunksEvenWithTheirExactWords() {
        Account a = api.signup("Keywords A");
        Account b = api.signup("Keywords B");
        UUID secret = api.uploadText(a, "secret.txt", SECRET);
        UUID other = api.uploadText(b, "other.txt", "The zebra enclosure of the city zoo opens at nine.");
        KeywordQuery exactWords = KeywordQuery.of(SECRET);

        StepVerifier.create(keywords.search(new TenantId(a.tenantId()), exactWords, Set.of(), 20))
                .assertNext(hits -> {
                    assertThat(hits).extracting(KeywordHit::documentId).containsExactly(secret);
                    assertThat(hits.get(0).filename()).isEqualTo("secret.txt");
                    assertThat(hits.get(0).matchedTerms()).isEqualTo(hits.get(0).queryTerms());
                })
                .verifyComplete();
        StepVerifier.create(keywords.search(new TenantId(b.tenantId()), exactWords, Set.of(), 20))
                .assertNext(hits -> assertThat(hits).extracting(KeywordHit::documentId).containsOnly(other))
                .verifyComplete();
        StepVerifier.create(keywords.search(new TenantId(b.tenantId()), exactWords, Set.of(secret), 20))
                .assertNext(hits -> assertThat(hits).isEmpty())
                .verifyComplete();
        StepVerifier.create(keywords.search(new TenantId(b.tenantId()), new KeywordQuery("zebracorn", SECRET, 1), Set.of(), 20))
                .assertNext(hits -> assertThat(hits).extracting(KeywordHit::documentId).containsOnly(other))
                .verifyComplete();
    }

    @Test
    void overTheApiAnotherTenantsWordsFindNothingAndItsDocumentsAre404() {
        Account a = api.signup("Keyword API A");
        Account b = api.signup("Keyword API B");
        UUID secret = api.uploadText(a, "secret.txt", SECRET);
        api.uploadText(b, "other.txt", "The zebra enclosure of the city zoo opens at nine.");
        OLLAMA.answer("ok");

        JsonNode answer = http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, b.bearer())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", SECRET, "min_score", 0, "top_k", 20))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.get("sources").valueStream().map(source -> source.get("filename").asString())).containsOnly("other.txt");
        assertThat(answer.toString()).doesNotContain("quokkafish");

        http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, b.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("question", SECRET, "document_ids", List.of(secret)))
                .exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("not_found");
    }

    @Test
    void aDeletedDocumentIsNoLongerFound() {
        Account a = api.signup("Keywords deleted");
        UUID secret = api.uploadText(a, "secret.txt", SECRET);
        http.delete().uri("/api/v1/documents/{id}", secret).header(HttpHeaders.AUTHORIZATION, a.bearer())
                .exchange().expectStatus().isNoContent();

        StepVerifier.create(keywords.search(new TenantId(a.tenantId()), KeywordQuery.of(SECRET), Set.of(), 20))
                .assertNext(hits -> assertThat(hits).isEmpty())
                .verifyComplete();
    }
}
