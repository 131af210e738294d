package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class HtmlToTextTest {

    private static final String PAGE = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>The Title</title>
            <style>body { color: red; } p > a { x: "</p>" }</style>
            <script type="text/javascript">if (a < b && c > d) { document.write("<p>hidden</p>"); }</script>
            </head>
            <body>
            <!-- a comment with <p>tags</p> and -- dashes -->
            <h1 class="big">Heading   one</h1>
            <p>First   paragraph
            spans lines &amp; has &lt;entities&gt; &quot;quoted&quot; &#39;single&#39; a&nbsp;b &#x20AC; &#8364; &copy;.</p>
            <div>Second<br>line<br/><br>third</div>
            <ul><li>one</li><li>two</li></ul>
            <table><tr><td>cell 1</td><td>cell 2</td></tr><tr><th>x</th><td>y</td></tr></table>
            <p title="a > b">Quoted &gt; in an attribute</p>
            <pre>  keep
              this</pre>
            <SCRIPT>alert("upper case")</SCRIPT  >
            <p>a < b, AT&T, &unknown; &amp</p>
            </body></html>
            """;

    @Test
    void tagsScriptsStylesAndCommentsGoAndBlocksBecomeParagraphs() {
        String text = normalised(convert(List.of(PAGE)));
        assertThat(text).isEqualTo(String.join("\n\n",
                "Heading one",
                "First paragraph spans lines & has <entities> \"quoted\" 'single' a b € € ©.",
                "Second\nline\n\nthird",
                "one", "two",
                "cell 1 cell 2", "x y",
                "Quoted > in an attribute",
                "  keep\n  this",
                "a < b, AT&T, &unknown; &amp"));
        assertThat(text).doesNotContain("Title", "hidden", "color", "alert", "comment", "<p", "DOCTYPE");
    }

    @Test
    void theSameTextWhereverTheInputIsSplit() {
        String whole = convert(List.of(PAGE));
        for (int cut = 1; cut < PAGE.length(); cut++) {
            assertThat(convert(List.of(PAGE.substring(0, cut), PAGE.substring(cut)))).as("cut at %d", cut).isEqualTo(whole);
        }
        List<String> chars = PAGE.chars().mapToObj(c -> String.valueOf((char) c)).toList();
        assertThat(convert(chars)).isEqualTo(whole);
    }

    @Test
    void numericEntitiesOutsideUnicodeBecomeReplacementCharacters() {
        assertThat(convert(List.of("&#0;&#xD800;&#x110000;&#128512;&#X1F600;"))).isEqualTo("\uFFFD\uFFFD\uFFFD😀😀");
        assertThat(convert(List.of("a&nbsp;&#160;&#xA0;b"))).as("non-breaking spaces stay, as plain ones").isEqualTo("a   b");
    }

    @Test
    void aHugeTagIsNotBuffered() {
        HtmlToText converter = new HtmlToText();
        converter.feed("before <img alt=\"");
        for (int i = 0; i < 10_000; i++) {
            converter.feed("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
            assertThat(converter.bufferedChars()).isLessThanOrEqualTo(HtmlToText.MAX_TAG);
        }
        assertThat(converter.feed("\"> after")).isEqualTo(" after");
        StringBuilder entity = new StringBuilder("&");
        entity.append("a".repeat(100)).append(';');
        assertThat(converter.feed(entity.toString())).isEqualTo(entity.toString());
    }

    @Test
    void anUnclosedScriptSwallowsTheRestAsABrowserWould() {
        assertThat(convert(List.of("<p>shown</p><script>var s = '</scrip' + 't>'; lost"))).isEqualTo("\n\nshown\n\n");
    }

    @Test
    void emptyPiecesAreNotEmitted() {
        HtmlToText.convert(Flux.just("<p>", "<b>", "word", "</b>", "</p>"))
                .as(StepVerifier::create)
                .expectNext("\n\n", "word", "\n\n")
                .verifyComplete();
    }

    private static String convert(List<String> pieces) {
        List<String> out = new ArrayList<>();
        HtmlToText.convert(Flux.fromIterable(pieces)).as(StepVerifier::create).recordWith(() -> out).thenConsumeWhile(s -> true).verifyComplete();
        return String.join("", out);
    }

    /** What the chunker will make of it: collapsed blank lines, trimmed line ends. */
    private static String normalised(String text) {
        return text.replaceAll(" *\n *(?=\n)", "\n").replaceAll("\n{3,}", "\n\n").replaceAll("(?m) +$", "").strip();
    }
}
