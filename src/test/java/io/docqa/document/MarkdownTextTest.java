package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class MarkdownTextTest {

    private static final String README = """
            # docqa&nbsp;Guide

            A **reactive**, _multi-tenant_ service. See the [API reference][api] and [the docs](https://example.com/docs "Docs").
            Caf&eacute; &amp; &copy; &#8364; \\*not emphasis\\*.

            <a name="opts"></a>
            ## Options <a id="x"></a>

            | Setting | Default |
            |---------|---------|
            | `size`  | **800** |

            * first item with `code`
            * second item ![diagram of the flow](flow.png)

            ```java
            // **not bold** in code
            int x = a < b ? 1 : 2;
            ```

            <div align="center"><p>Centred <b>text</b></p></div>

            Setext heading
            --------------

            > quoted text

            [api]: https://example.com/api
            """;

    @TempDir
    Path dir;

    @Test
    void markupGoesAndTextStaysUnderItsHeadings() {
        List<TextPiece> pieces = pieces(MarkdownText.of(README));
        String text = joined(pieces);
        assertThat(text).contains("A reactive, multi-tenant service. See the API reference and the docs.",
                "Café & © € *not emphasis*.",
                "Setting | Default\nsize | 800",
                "first item with code", "second item diagram of the flow",
                "// **not bold** in code\nint x = a < b ? 1 : 2;",
                "Centred text", "quoted text");
        assertThat(text).doesNotContain("**reactive", "_multi", "[API", "][api]", "https://", "<a", "&nbsp;", "&eacute;",
                "`", "![", "flow.png", "<div", "\"code\"", "«", "|---");
        assertThat(pieces).extracting(TextPiece::section).containsExactly("docqa Guide", "docqa Guide > Options",
                "docqa Guide > Setext heading");
        assertThat(pieces.get(1).text()).startsWith("Options\n");
    }

    @Test
    void aReferenceDefinedInAnotherSegmentKeepsItsText() {
        String filler = "Some filler sentence for the segment.\n\n".repeat(MarkdownText.SEGMENT / 30);
        String text = joined(pieces(MarkdownText.of("See [the manual][man] and [that][].\n\n" + filler + "[man]: https://example.com\n[that]: /x\n")));
        assertThat(text).startsWith("See the manual and that.").doesNotContain("[", "https://");
    }

    @Test
    void fencedCodeIsNeverSplitAcrossSegments() {
        String filler = "Filler paragraph that is long enough to fill a segment.\n\n".repeat(MarkdownText.SEGMENT / 50);
        String code = "```\nfirst line\n\n# not a heading\n\n" + "code line\n\n".repeat(MarkdownText.SEGMENT / 10) + "```\n";
        List<TextPiece> pieces = pieces(MarkdownText.of("# Top\n\n" + filler + code + "\n## Next\n\nafter\n"));
        assertThat(pieces).extracting(TextPiece::section).containsOnly("Top", "Top > Next");
        assertThat(joined(pieces)).contains("# not a heading");
    }

    @Test
    void aLargeFileIsReadInBoundedSegments() throws IOException {
        Path file = dir.resolve("large.md");
        int sections = 20_000;
        try (Writer out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < sections; i++) {
                out.write("## Part " + i + "\n\nSome **bold** text with a [link](http://x/" + i + ") and `code`.\n\n- item\n- item\n\n");
            }
        }
        assertThat(Files.size(file)).isGreaterThan(1_500_000);
        MarkdownText markdown = MarkdownText.open(file);
        AtomicInteger maxBuffered = new AtomicInteger();
        java.util.Set<String> parts = new java.util.HashSet<>();
        Flux.generate(() -> markdown, MarkdownText::next, MarkdownText::close)
                .doOnNext(piece -> {
                    maxBuffered.accumulateAndGet(markdown.bufferedChars() + piece.text().length(), Math::max);
                    parts.add(piece.section());
                })
                .as(StepVerifier::create)
                .thenConsumeWhile(piece -> piece.section().startsWith("Part ") && !piece.text().contains("**"))
                .verifyComplete();
        assertThat(parts).hasSize(sections);
        assertThat(maxBuffered.get()).isLessThan(2 * MarkdownText.SEGMENT);
    }

    @Test
    void invalidUtf8IsUnreadable() throws IOException {
        Path file = Files.write(dir.resolve("bad.md"), new byte[] { '#', ' ', 'a', (byte) 0xC3, 0x28, '\n' });
        Flux.generate(() -> MarkdownText.open(file), MarkdownText::next, MarkdownText::close)
                .as(StepVerifier::create)
                .expectError(UnreadableContentException.class)
                .verify();
        assertThat(joined(pieces(MarkdownText.of("\uFEFF# Title\n\ntext")))).startsWith("Title");
    }

    static List<TextPiece> pieces(MarkdownText markdown) {
        List<TextPiece> out = new ArrayList<>();
        Flux.generate(() -> markdown, MarkdownText::next, MarkdownText::close).as(StepVerifier::create)
                .recordWith(() -> out).thenConsumeWhile(piece -> true).verifyComplete();
        return out;
    }

    static String joined(List<TextPiece> pieces) {
        return pieces.stream().map(TextPiece::text).collect(Collectors.joining());
    }
}
