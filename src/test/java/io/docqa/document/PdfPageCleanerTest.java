package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class PdfPageCleanerTest {

    private final DocumentParser parser = new DocumentParser(1, 8);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        parser.destroy();
    }

    @Test
    void aBookLikePdfLosesItsFurnitureAndKeepsItsProse() throws IOException {
        List<List<String>> pages = new ArrayList<>();
        pages.add(List.of("Contents", "1 Introduction . . . . . . . . . . . . 3", "2 Installing the tool ........ 12",
                "Appendix A \u2026\u2026\u2026\u2026 iv", "i"));
        for (int p = 1; p <= 8; p++) {
            List<String> lines = new ArrayList<>();
            lines.add(p % 2 == 0 ? "The Llama Handbook, Release 3." + p : "Chapter " + (p / 3 + 1) + ". Keeping Llamas");
            lines.add("Page " + p + " begins with its own sentence about topic " + (char) ('a' + p) + ".");
            lines.add("The herd needs regular manip-");
            lines.add("ulation of its feeding times, and a well-");
            lines.add("Known shepherd.");
            lines.add("Last line of page " + (char) ('a' + p) + " ends in a broken hyphen-");
            lines.add("" + (p + 10));
            pages.add(lines);
        }
        pages.add(List.of("ated word at the top of the last page, which has no furniture at all."));
        String text = text(Files.write(dir.resolve("book.pdf"), SampleFiles.pdf(pages)));
        assertThat(text).doesNotContain(". . .", "....", "\u2026", "The Llama Handbook", "Keeping Llamas", "manip-", "\n11\n", "\n18\n")
                .contains("Page 1 begins with its own sentence about topic b.",
                        "The herd needs regular manipulation of its feeding times, and a well-\nKnown shepherd.",
                        "ends in a broken hyphenated word at the top of the last page",
                        "Contents");
        assertThat(text.lines().filter(line -> line.matches("\\d+|[ivx]+"))).isEmpty();
    }

    @Test
    void aShortDocumentKeepsLinesThatOnlyLookAlike() throws IOException {
        String text = text(Files.write(dir.resolve("one.pdf"), SampleFiles.pdf("Title of the note", "Body text.", "12")));
        assertThat(text).contains("Title of the note", "Body text.").doesNotContain("12");
        String two = text(Files.write(dir.resolve("two.pdf"), SampleFiles.pdf(List.of(List.of("Intro", "First page."), List.of("Outro", "Second page.")))));
        assertThat(two).contains("Intro", "First page.", "Outro", "Second page.");
    }

    @Test
    void theCleanerHoldsOnlyAWindowOfPagesAhead() throws IOException {
        List<List<String>> pages = IntStream.range(0, 60)
                .mapToObj(i -> List.of("Running header", "Body of page " + (char) ('a' + i % 26) + (char) ('a' + i / 26) + ".", "" + i))
                .collect(Collectors.toList());
        Path pdf = Files.write(dir.resolve("long.pdf"), SampleFiles.pdf(pages));
        parser.parse(pdf, DocumentKind.PDF).take(1)
                .as(StepVerifier::create)
                .assertNext(page -> assertThat(page.text()).isEqualTo("Body of page aa.\n\n"))
                .verifyComplete();
        assertThat(text(pdf)).doesNotContain("Running header").contains("Body of page hc.");
    }

    @Test
    void privateUseGlyphsBecomeBulletsAtALineStartAndGoElsewhere() {
        PdfPageCleaner cleaner = new PdfPageCleaner();
        String text = cleaner.clean(List.of("\uE008 first point", "  \uF0B7\uF0B7 second point", "a\uE000b \uDB80\uDC00c"), List.of());
        assertThat(text).isEqualTo("• first point\n• second point\nab c\n\n");
    }

    private String text(Path pdf) {
        return parser.parse(pdf, DocumentKind.PDF).map(TextPiece::text).collect(Collectors.joining()).block();
    }
}
