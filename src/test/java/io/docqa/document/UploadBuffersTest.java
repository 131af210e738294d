package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.Uploads;
import io.docqa.support.Uploads.NamedBytes;
import reactor.netty.http.client.HttpClient;

/**
 * The request's bytes are pooled buffers: every upload refused or skipped gives each of them back exactly once. Netty's
 * leak detector tracks every buffer allocated during the test (paranoid) and reports, once a collection has found a
 * buffer unreachable that was never released, a {@code LEAK:} line.
 * A buffer released twice shows too: it frees memory that a later buffer of the same request still shares, and that
 * request fails (its connection is reset). Not covered: a file over the size limit still leaves a few buffers of the
 * request unreleased (README, Failure behaviour).
 */
@ExtendWith(OutputCaptureExtension.class)
class UploadBuffersTest extends IntegrationTest {

    private static final int LOOKS_FOR_LEAKS = 4;

    private ResourceLeakDetector.Level before;
    private int outputBefore;

    @BeforeEach
    void trackEveryBuffer(CapturedOutput output) {
        // without compression, and every response read to its end: otherwise the test's own client leaves buffers to the detector
        http = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create()))
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        api = new Api(http);
        before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        // what earlier tests left unreleased is reported now, and not counted as this test's
        for (int i = 0; i < 2; i++) {
            System.gc();
            http.get().uri("/actuator/health/liveness").exchange().expectBody().returnResult();
        }
        outputBefore = output.getAll().length();
    }

    @AfterEach
    void trackAsBefore() {
        ResourceLeakDetector.setLevel(before);
    }

    @Test
    void refusedFilesGiveTheirBytesBack(CapturedOutput output) {
        Account owner = api.signup("Refused buffers");
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
        for (int i = 0; i < 3; i++) {
            upload(owner, new NamedBytes("tool.exe", "MZ binary".repeat(3000).getBytes())).expectStatus().isEqualTo(415).expectBody().returnResult();
            upload(owner, new NamedBytes("image.txt", png)).expectStatus().isEqualTo(415).expectBody().returnResult();
            upload(owner, new NamedBytes("notes.pdf", "just text, not a pdf".repeat(100).getBytes())).expectStatus().isEqualTo(415).expectBody().returnResult();
            upload(owner, new NamedBytes("empty.txt", new byte[0])).expectStatus().isBadRequest().expectBody().returnResult();
            upload(owner, Uploads.text("kept.txt", "a file before the refused one " + i), new NamedBytes("x.exe", "MZ".repeat(9000).getBytes()))
                    .expectStatus().isEqualTo(415).expectBody().returnResult();
        }
        assertThat(leaksReported(owner, output)).isEmpty();
    }

    @Test
    void skippedPartsGiveTheirBytesBack(CapturedOutput output) {
        Account owner = api.signup("Skipped buffers");
        for (int i = 0; i < 3; i++) {
            MultipartBodyBuilder parts = new MultipartBodyBuilder();
            parts.part("note", "a form field that is not a file ".repeat(200));
            parts.part("attachment", new org.springframework.core.io.ByteArrayResource("a file part not named 'file' ".repeat(400).getBytes()) {
                @Override
                public String getFilename() {
                    return "skipped.txt";
                }
            });
            parts.part("file", new org.springframework.core.io.ByteArrayResource("words enough to be a document ".repeat(20).getBytes()) {
                @Override
                public String getFilename() {
                    return "kept.txt";
                }
            });
            http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                    .body(BodyInserters.fromMultipartData(parts.build()))
                    .exchange().expectStatus().isCreated().expectBody().returnResult();
        }
        assertThat(leaksReported(owner, output)).isEmpty();
    }

    @Test
    void tooManyFilesGiveTheirBytesBack(CapturedOutput output) {
        Account owner = api.signup("Many buffers");
        for (int i = 0; i < 3; i++) {
            upload(owner, Uploads.text("1.txt", "one"), Uploads.text("2.txt", "two"), Uploads.text("3.txt", "three"),
                    Uploads.text("4.txt", "four")).expectStatus().isEqualTo(413).expectBody().returnResult();
        }
        assertThat(leaksReported(owner, output)).isEmpty();
    }

    @Test
    void aDuplicateGivesItsBytesBack(CapturedOutput output) {
        Account owner = api.signup("Duplicate buffers");
        NamedBytes kept = Uploads.text("kept.txt", "words enough to be a document of its own ".repeat(20));
        for (int i = 0; i < 4; i++) {
            upload(owner, kept).expectStatus().is2xxSuccessful().expectBody().returnResult();
        }
        assertThat(leaksReported(owner, output)).isEmpty();
    }

    /**
     * Collections, each followed by a request (an allocation is when the detector looks at what the collection found),
     * then the leaks of the server's inbound buffers it reported (not an HTTP client's: earlier tests' clients share the
     * process and their pooled connections, and a decompressing client can leave one of its own at a late close) and any
     * buffer released once too often.
     */
    private java.util.List<String> leaksReported(Account owner, CapturedOutput output) {
        for (int i = 0; i < LOOKS_FOR_LEAKS; i++) {
            System.gc();
            http.get().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange().expectStatus().isOk().expectBody().returnResult();
        }
        return output.getAll().substring(outputBefore).lines()
                .filter(line -> line.contains("LEAK:") && !line.contains("HttpClientCodec") || line.contains("IllegalReferenceCountException"))
                .toList();
    }

    private WebTestClient.ResponseSpec upload(Account account, NamedBytes... files) {
        return http.post().uri("/api/v1/documents")
                .header(HttpHeaders.AUTHORIZATION, account.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(files)))
                .exchange();
    }
}
