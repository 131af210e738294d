package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.Uploads;
import io.docqa.support.Uploads.NamedBytes;
import tools.jackson.databind.JsonNode;

/** Every upload limit answers a clear problem, and a rejected file leaves nothing behind. Tests run with 1 MB and 3 files. */
class UploadLimitsTest extends IntegrationTest {

    @Test
    void aFileOverTheLimitIsA413AndLeavesNoDocument() {
        Account owner = api.signup("Too large");
        // Prose, so that every megabyte read would make hundreds of chunks: the 413 must come before any is embedded.
        byte[] big = new byte[1_200_000];
        Arrays.fill(big, (byte) 'a');
        for (int i = 80; i < big.length; i += 81) {
            big[i] = ' ';
        }
        upload(owner, new NamedBytes("big.txt", big))
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("file_too_large");
        expectNoDocuments(owner);
    }

    @Test
    void tooManyFilesIsA413() {
        Account owner = api.signup("Too many");
        upload(owner, Uploads.text("1.txt", "one one one"), Uploads.text("2.txt", "two two two"),
                Uploads.text("3.txt", "three three"), Uploads.text("4.txt", "four four four"))
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("too_many_files");
    }

    @Test
    void unsupportedAndDisguisedTypesAre415() {
        Account owner = api.signup("Types");
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
        byte[] pdf = Uploads.pdf("A real PDF");
        for (NamedBytes file : new NamedBytes[] { new NamedBytes("image.txt", png), new NamedBytes("tool.exe", "MZ binary".getBytes()),
                new NamedBytes("report.docx", pdf), new NamedBytes("notes.pdf", "just text, not a pdf".getBytes()) }) {
            upload(owner, file)
                    .expectStatus().isEqualTo(415)
                    .expectBody().jsonPath("$.code").isEqualTo("unsupported_media_type");
        }
        expectNoDocuments(owner);
    }

    @Test
    void anEmptyFileIsA400() {
        Account owner = api.signup("Empty");
        upload(owner, new NamedBytes("empty.txt", new byte[0]))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("empty_file");
    }

    @Test
    void aCorruptPdfBecomesAFailedDocumentWithAReason() {
        Account owner = api.signup("Corrupt");
        JsonNode body = upload(owner, new NamedBytes("broken.pdf", "%PDF-1.7\nthis is not really a pdf at all".getBytes()))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode document = body.get("documents").get(0);
        assertThat(document.get("status").asString()).isEqualTo("failed");
        assertThat(document.get("error").asString()).isNotBlank().doesNotContain("Exception", "/tmp");
        assertThat(document.get("chunk_count").asInt()).isZero();
    }

    @Test
    void aBadFileAmongTheFilesOfOneRequestFailsAloneAndTheOthersAreReadyInOrder() {
        Account owner = api.signup("Mixed");
        JsonNode documents = upload(owner, Uploads.text("first.txt", Uploads.prose("harbours", 40)),
                new NamedBytes("broken.pdf", "%PDF-1.7\nthis is not really a pdf at all".getBytes()),
                Uploads.text("third.txt", Uploads.prose("lighthouses", 40)))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("documents");
        assertThat(documents).hasSize(3);
        assertThat(documents.get(0).get("filename").asString()).isEqualTo("first.txt");
        assertThat(documents.get(0).get("status").asString()).isEqualTo("ready");
        assertThat(documents.get(1).get("status").asString()).isEqualTo("failed");
        assertThat(documents.get(1).get("chunk_count").asInt()).isZero();
        assertThat(documents.get(2).get("filename").asString()).isEqualTo("third.txt");
        assertThat(documents.get(2).get("status").asString()).isEqualTo("ready");
        for (int i : new int[] { 0, 2 }) {
            JsonNode chunks = http.get().uri("/api/v1/documents/{id}/chunks", documents.get(i).get("id").asString())
                    .header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                    .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody().get("items");
            assertThat(chunks).hasSize(documents.get(i).get("chunk_count").asInt()).isNotEmpty();
            assertThat(chunks.get(0).get("text").asString()).contains(i == 0 ? "harbours" : "lighthouses");
        }
    }

    @Test
    void invalidUtf8TextBecomesAFailedDocument() {
        Account owner = api.signup("Bad UTF-8");
        byte[] bytes = "Valid start, then: ".getBytes();
        byte[] broken = Arrays.copyOf(bytes, bytes.length + 3);
        broken[bytes.length] = (byte) 0xC3;
        broken[bytes.length + 1] = (byte) 0x28;
        broken[bytes.length + 2] = 'x';
        JsonNode document = upload(owner, new NamedBytes("latin.txt", broken)).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("documents").get(0);
        assertThat(document.get("status").asString()).isEqualTo("failed");
    }

    @Test
    void hostileFileNamesAreStoredSafely() {
        Account owner = api.signup("Names");
        JsonNode document = upload(owner, Uploads.text("../../etc/<script>alert(1)</script>.txt", "harmless words here"))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("documents").get(0);
        String name = document.get("filename").asString();
        assertThat(name).doesNotContain("..", "/", "\\").endsWith(".txt");
    }

    @Test
    void onlyMultipartWithAFilePartIsAccepted() {
        Account owner = api.signup("Not multipart");
        http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isEqualTo(415);
        var builder = new org.springframework.http.client.MultipartBodyBuilder();
        builder.part("note", "not a file");
        http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .body(BodyInserters.fromMultipartData(builder.build()))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("file");
    }

    private WebTestClient.ResponseSpec upload(Account account, NamedBytes... files) {
        return http.post().uri("/api/v1/documents")
                .header(HttpHeaders.AUTHORIZATION, account.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(files)))
                .exchange();
    }

    private void expectNoDocuments(Account owner) {
        http.get().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectBody().jsonPath("$.total").isEqualTo(0);
    }
}
