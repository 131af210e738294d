package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class DocumentParserTest {

    private final DocumentParser parser = new DocumentParser(2, 16);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        parser.destroy();
    }

    @Test
    void aPdfIsReadPageByPageOnTheParseScheduler() throws IOException {
        Path pdf = write("three.pdf", SampleFiles.pdf(List.of(List.of("First page, first line.", "First page, second line."),
                List.of(), List.of("Third page speaks of llamas."))));
        List<String> threads = new ArrayList<>();
        parser.parse(pdf, DocumentKind.PDF)
                .doOnNext(page -> threads.add(Thread.currentThread().getName()))
                .map(TextPiece::text)
                .as(StepVerifier::create)
                .assertNext(page -> assertThat(page).contains("First page, first line.\nFirst page, second line.").endsWith("\n\n"))
                .assertNext(page -> assertThat(page).contains("Third page speaks of llamas."))
                .verifyComplete();
        assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("document-parse"));
    }

    @Test
    void aDocxIsReadWithItsParagraphsAndTables() throws IOException {
        Path docx = write("letter.docx", SampleFiles.docx(List.of("Dear reader,", "", "the llamas are fine."),
                new String[][] { { "name", "age" }, { "Dolly", "7" } }));
        parser.parse(docx, DocumentKind.DOCX)
                .map(TextPiece::text)
                .reduce(String::concat)
                .as(StepVerifier::create)
                .assertNext(text -> assertThat(text).contains("Dear reader,\n\n", "the llamas are fine.\n\n", "name | age\nDolly | 7\n"))
                .verifyComplete();
    }

    @Test
    void takingOnlyTheFirstPageStopsTheParseAndFreesTheScheduler() throws IOException {
        List<List<String>> pages = java.util.stream.IntStream.range(0, 200).mapToObj(i -> List.of("Page " + i + " text about " + (char) ('a' + i % 26) + (char) ('a' + i / 26) + ".")).toList();
        Path pdf = write("long.pdf", SampleFiles.pdf(pages));
        parser.parse(pdf, DocumentKind.PDF).map(TextPiece::text).take(1)
                .as(StepVerifier::create)
                .assertNext(page -> assertThat(page).contains("Page 0 text about aa."))
                .verifyComplete();
        parser.parse(pdf, DocumentKind.PDF).count()
                .as(StepVerifier::create)
                .expectNext(200L)
                .verifyComplete();
    }

    @Test
    void aCorruptPdfFailsWithAReadableReason() throws IOException {
        Path broken = write("broken.pdf", "%PDF-1.7\nthis is not really a pdf at all".getBytes());
        parser.parse(broken, DocumentKind.PDF)
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(UnreadableContentException.class)
                        .hasMessageStartingWith("The PDF could not be read")
                        .hasMessageNotContainingAny("Exception", dir.toString(), "broken.pdf", "\tat "))
                .verify();
    }

    @Test
    void aTruncatedPdfFailsToo() throws IOException {
        byte[] pdf = SampleFiles.pdf("Some text that will be cut off");
        Path truncated = write("truncated.pdf", java.util.Arrays.copyOf(pdf, pdf.length / 3));
        parser.parse(truncated, DocumentKind.PDF)
                .then()
                .as(StepVerifier::create)
                .expectError(UnreadableContentException.class)
                .verify();
    }

    @Test
    void aPdfWithoutTextSaysSo() throws IOException {
        Path blank = write("scan.pdf", SampleFiles.pdf(List.of(List.of(), List.of())));
        parser.parse(blank, DocumentKind.PDF)
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(UnreadableContentException.class)
                        .hasMessageContaining("no text"))
                .verify();
    }

    @Test
    void aZipThatIsNotAWordDocumentFails() throws IOException {
        Path zip = dir.resolve("fake.docx");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("hello.txt"));
            out.write("not word".getBytes());
            out.closeEntry();
        }
        parser.parse(zip, DocumentKind.DOCX)
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(UnreadableContentException.class)
                        .hasMessageStartingWith("The Word document could not be read")
                        .hasMessageNotContainingAny("Exception", dir.toString(), "fake.docx"))
                .verify();
    }

    @Test
    void aWordDocumentWithoutTextSaysSo() throws IOException {
        Path empty = write("empty.docx", SampleFiles.docx("", "  "));
        parser.parse(empty, DocumentKind.DOCX)
                .then()
                .as(StepVerifier::create)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(UnreadableContentException.class)
                        .hasMessageContaining("no text"))
                .verify();
    }

    @Test
    void reasonsKeepTheGistOnly() {
        Path file = Path.of("/tmp/docqa-spool-123.tmp");
        assertThat(DocumentParser.reason(new java.io.IOException("java.io.EOFException: Error: End-of-File, expected line at /tmp/docqa-spool-123.tmp"), file))
                .isEqualTo(": End-of-File, expected line at");
        assertThat(DocumentParser.reason(new IllegalStateException("Missing /Root in trailer of C:\\x\\y.pdf"), file))
                .isEqualTo(": Missing /Root in trailer of");
        assertThat(DocumentParser.reason(new RuntimeException((String) null), file)).isEmpty();
        assertThat(DocumentParser.reason(new RuntimeException("x".repeat(500)), file)).hasSizeLessThan(210);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
