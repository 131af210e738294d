package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.Uploads;
import io.docqa.support.Uploads.NamedBytes;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

class DocumentApiTest extends IntegrationTest {

    @Autowired
    Documents documents;

    @Test
    void aTextFileIsChunkedIndexedAndListed() throws Exception {
        Account owner = api.signup("Docs");
        String text = Uploads.prose("billing", 12);
        JsonNode document = upload(owner, Uploads.text("billing.txt", text)).get(0);
        assertThat(document.get("status").asString()).isEqualTo("ready");
        assertThat(document.get("filename").asString()).isEqualTo("billing.txt");
        assertThat(document.get("content_type").asString()).isEqualTo("text/plain");
        assertThat(document.get("size_bytes").asLong()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(document.get("sha256").asString()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))));
        int chunks = document.get("chunk_count").asInt();
        assertThat(chunks).isGreaterThan(1);
        String id = document.get("id").asString();

        http.get().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo(id).jsonPath("$.error").isEmpty();
        http.get().uri("/api/v1/documents/{id}/chunks", id).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(chunks)
                .jsonPath("$.items[0].index").isEqualTo(0)
                .jsonPath("$.items[0].text").value(t -> assertThat((String) t).startsWith("Paragraph 0 is about billing"));
        http.get().uri("/api/v1/documents?page=0&size=5").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.total").isEqualTo(1)
                .jsonPath("$.page").isEqualTo(0)
                .jsonPath("$.size").isEqualTo(5)
                .jsonPath("$.items[0].id").isEqualTo(id);
        http.get().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectBody().jsonPath("$.usage.documents").isEqualTo(1).jsonPath("$.usage.chunks").isEqualTo(chunks);
    }

    @Test
    void theChunksOfALargeDocumentAreReadPageByPageAndStreamedInOrder() {
        Account owner = api.signup("Many chunks");
        TenantId tenant = new TenantId(owner.tenantId());
        int count = 2 * Documents.CHUNK_PAGE + 17;
        Document document = documents.start(tenant, "many.txt", "text/plain", "this-test", java.time.Duration.ofMinutes(1), "all-minilm-l6-v2-q").block().document();
        List<Documents.StoredChunk> stored = IntStream.range(0, count)
                .mapToObj(i -> new Documents.StoredChunk(i, null, "chunk " + i + " \"quoted\"\n\u00e9\u00e8 \uD83D\uDE00"))
                .toList();
        Flux.fromIterable(stored).buffer(100)
                .concatMap(batch -> documents.saveChunks(tenant, document.id(), "this-test", batch))
                .then(documents.finish(tenant, document.id(), "this-test", 1, "00"))
                .block();

        JsonNode items = http.get().uri("/api/v1/documents/{id}/chunks", document.id())
                .header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("items");
        assertThat(items.size()).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            assertThat(items.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(items.get(i).get("text").asString()).isEqualTo(stored.get(i).text());
        }
        documents.chunks(tenant, document.id()).as(StepVerifier::create)
                .expectNextSequence(stored)
                .verifyComplete();
        documents.chunks(new TenantId(api.signup("Someone else").tenantId()), document.id()).as(StepVerifier::create)
                .verifyComplete();
    }

    @Test
    void markdownHtmlPdfAndDocxAreAllRead() {
        Account owner = api.signup("Formats");
        List<JsonNode> documents = new java.util.ArrayList<>(upload(owner,
                Uploads.text("guide.md", "# Guide\n\nThe **aurora** procedure starts at dawn."),
                Uploads.text("page.html", "<html><head><script>var secret='zebra';</script></head><body><p>The &amp; heron flies north.</p></body></html>")));
        documents.addAll(upload(owner,
                new NamedBytes("report.pdf", Uploads.pdf("The quarterly falcon report.", "Revenue grew by nine percent.")),
                new NamedBytes("memo.docx", Uploads.docx("The walrus memo.", "Offices close on Friday."))));
        assertThat(documents).extracting(d -> d.get("status").asString()).containsOnly("ready");
        assertThat(documents).extracting(d -> d.get("content_type").asString()).containsExactly("text/markdown", "text/html",
                "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThat(chunkText(owner, documents.get(0))).contains("aurora");
        assertThat(chunkText(owner, documents.get(1))).contains("& heron").doesNotContain("zebra", "<p>");
        assertThat(chunkText(owner, documents.get(2))).contains("falcon report", "nine percent");
        assertThat(chunkText(owner, documents.get(3))).contains("walrus memo", "Friday");
    }

    @Test
    void chunksKeepTheHeadingPathTheyStandUnder() {
        Account owner = api.signup("Sections");
        String markdown = "# Llama Guide\n\nIntro to llamas.\n\n## Feeding\n\n" + Uploads.prose("hay", 8)
                + "## Shearing [tips][t]\n\nShear in **spring**.\n\n[t]: https://example.com\n";
        String html = "<html><body><nav>Prev Up Next Home</nav><h1>Heron&nbsp;Manual</h1><h2>Nesting</h2><p>"
                + Uploads.prose("nests", 3) + "</p><footer>Copyright</footer></body></html>";
        List<JsonNode> uploaded = upload(owner, Uploads.text("guide.md", markdown), Uploads.text("heron.html", html),
                Uploads.text("plain.txt", "No headings here."));
        assertThat(uploaded).extracting(d -> d.get("status").asString()).containsOnly("ready");

        JsonNode guide = chunks(owner, uploaded.get(0));
        assertThat(guide.get(0).get("section").asString()).isEqualTo("Llama Guide");
        assertThat(guide.get(0).get("text").asString()).startsWith("Llama Guide\n\nIntro to llamas.");
        assertThat(guide.valueStream().map(chunk -> chunk.get("section").asString()))
                .contains("Llama Guide > Feeding", "Llama Guide > Shearing tips");
        assertThat(guide.valueStream().map(chunk -> chunk.get("text").asString()))
                .noneMatch(text -> text.contains("**") || text.contains("[t]") || text.contains("#"));
        JsonNode heron = chunks(owner, uploaded.get(1));
        assertThat(heron.get(0).get("section").asString()).as("a tiny section merges into the next chunk").isEqualTo("Heron Manual");
        assertThat(heron.get(0).get("text").asString()).startsWith("Heron Manual\n\nNesting\n\nParagraph 0 is about nests.");
        assertThat(heron.valueStream().map(chunk -> chunk.get("text").asString())).noneMatch(text -> text.contains("Prev") || text.contains("Copyright"));
        JsonNode plain = chunks(owner, uploaded.get(2));
        assertThat(plain.get(0).has("section")).isTrue();
        assertThat(plain.get(0).get("section").isNull()).isTrue();

        List<String> stored = db.sql("select section from document_chunks where document_id = :doc order by chunk_index")
                .bind("doc", java.util.UUID.fromString(uploaded.get(0).get("id").asString()))
                .map(row -> String.valueOf(row.get("section", String.class))).all().collectList().block();
        assertThat(stored).first().isEqualTo("Llama Guide");
        assertThat(stored).contains("Llama Guide > Feeding");
    }

    @Test
    void theSameBytesTwiceGiveTheSameDocument() {
        Account owner = api.signup("Idempotent");
        NamedBytes file = Uploads.text("same.txt", Uploads.prose("idempotency", 5));
        JsonNode first = upload(owner, file).get(0);
        JsonNode second = upload(owner, new NamedBytes("renamed.txt", file.bytes())).get(0);
        assertThat(second.get("id").asString()).isEqualTo(first.get("id").asString());
        http.get().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectBody().jsonPath("$.total").isEqualTo(1);
        http.get().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectBody().jsonPath("$.usage.chunks").isEqualTo(first.get("chunk_count").asInt());
    }

    @Test
    void aDuplicateIsRecognisedBeforeAnythingIsEmbedded() {
        Account owner = api.signup("Duplicate first");
        NamedBytes file = Uploads.text("original.txt", Uploads.prose("recognition", 40));
        String original = upload(owner, file).get(0).get("id").asString();
        var events = http.post().uri("/api/v1/documents")
                .header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .body(BodyInserters.fromMultipartData(Uploads.files(new NamedBytes("copy.txt", file.bytes()))))
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<JsonNode>>() { })
                .getResponseBody();
        StepVerifier.create(events.collectList())
                .assertNext(list -> {
                    assertThat(list).extracting(ServerSentEvent::event).containsExactly("document");
                    assertThat(list.get(0).data().get("id").asString()).isEqualTo(original);
                })
                .verifyComplete();
    }

    @Test
    void progressStreamsWhileIngesting() {
        Account owner = api.signup("Progress");
        var events = http.post().uri("/api/v1/documents")
                .header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text("long.txt", Uploads.prose("progress", 200)))))
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<JsonNode>>() { })
                .getResponseBody();
        StepVerifier.create(events.collectList())
                .assertNext(list -> {
                    List<String> names = list.stream().map(ServerSentEvent::event).toList();
                    assertThat(names).last().isEqualTo("document");
                    assertThat(names.subList(0, names.size() - 1)).containsOnly("progress").hasSizeGreaterThan(1);
                    JsonNode last = list.get(list.size() - 2).data();
                    JsonNode document = list.get(list.size() - 1).data();
                    assertThat(last.get("chunks_embedded").asInt()).isEqualTo(document.get("chunk_count").asInt());
                    assertThat(last.get("bytes_read").asLong()).isEqualTo(document.get("size_bytes").asLong());
                    assertThat(document.get("status").asString()).isEqualTo("ready");
                    assertThat(list).allSatisfy(event -> assertThat(event.id()).isNotBlank());
                })
                .verifyComplete();
    }

    @Test
    void deleteRemovesTheDocumentAndItsChunks() {
        Account owner = api.signup("Delete");
        String id = upload(owner, Uploads.text("gone.txt", Uploads.prose("deletion", 3))).get(0).get("id").asString();
        http.delete().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isNoContent();
        http.get().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isNotFound();
        http.delete().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void viewersReadButCannotUploadOrDelete() {
        Account owner = api.signup("Viewer");
        Account viewer = api.addUser(owner, "viewer");
        String id = upload(owner, Uploads.text("read.txt", Uploads.prose("reading", 2))).get(0).get("id").asString();
        http.get().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, viewer.bearer()).exchange()
                .expectStatus().isOk();
        http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, viewer.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text("x.txt", "some text here"))))
                .exchange().expectStatus().isForbidden();
        http.delete().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, viewer.bearer()).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void anotherTenantCannotListReadChunkReadOrDelete() {
        Account a = api.signup("Owner A");
        Account b = api.signup("Prober B");
        String id = upload(a, Uploads.text("private.txt", Uploads.prose("secrets", 3))).get(0).get("id").asString();
        http.get().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, b.bearer()).exchange()
                .expectBody().jsonPath("$.total").isEqualTo(0).jsonPath("$.items.length()").isEqualTo(0);
        for (String path : new String[] { "/api/v1/documents/{id}", "/api/v1/documents/{id}/chunks" }) {
            http.get().uri(path, id).header(HttpHeaders.AUTHORIZATION, b.bearer()).exchange()
                    .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        }
        http.delete().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, b.bearer()).exchange()
                .expectStatus().isNotFound();
        http.get().uri("/api/v1/documents/{id}", id).header(HttpHeaders.AUTHORIZATION, a.bearer()).exchange()
                .expectStatus().isOk();
    }

    @Test
    void pagingIsValidated() {
        Account owner = api.signup("Paging");
        for (String query : new String[] { "size=0", "size=101", "page=-1", "size=abc" }) {
            http.get().uri("/api/v1/documents?" + query).header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("validation_failed");
        }
    }

    private List<JsonNode> upload(Account account, NamedBytes... files) {
        JsonNode body = http.post().uri("/api/v1/documents")
                .header(HttpHeaders.AUTHORIZATION, account.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(files)))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return body.get("documents").valueStream().toList();
    }

    private JsonNode chunks(Account account, JsonNode document) {
        return http.get().uri("/api/v1/documents/{id}/chunks", document.get("id").asString())
                .header(HttpHeaders.AUTHORIZATION, account.bearer()).exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("items");
    }

    private String chunkText(Account account, JsonNode document) {
        JsonNode chunks = http.get().uri("/api/v1/documents/{id}/chunks", document.get("id").asString())
                .header(HttpHeaders.AUTHORIZATION, account.bearer()).exchange()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        StringBuilder text = new StringBuilder();
        chunks.get("items").forEach(chunk -> text.append(chunk.get("text").asString()).append('\n'));
        return text.toString();
    }
}
