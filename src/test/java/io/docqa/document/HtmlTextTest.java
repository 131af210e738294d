package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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

class HtmlTextTest {

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
            <p>Caf&eacute; &uuml;ber &Omega;&rarr;&frac12; &NotEqualTilde; &hearts;</p>
            <div>Second<br>line<br/><br>third</div>
            <ul><li>one</li><li>two <b>bold</b></li></ul>
            <table><tr><td>cell 1</td><td>cell <i>2</i></td></tr><tr><th>x</th><td><p>y</p><p>z</p></td></tr></table>
            <p title="a > b">Quoted &gt; in an attribute</p>
            <pre>  keep
              this</pre>
            <SCRIPT>alert("upper case")</SCRIPT  >
            <p>a < b, AT&T, &unknown; &amp</p>
            </body></html>
            """;

    @TempDir
    Path dir;

    @Test
    void blocksBecomeParagraphsListsLinesAndTableRowsCellsSeparated() {
        String text = normalised(joined(pieces(HtmlText.of(PAGE))));
        assertThat(text).isEqualTo(String.join("\n\n",
                "Heading one",
                "First paragraph spans lines & has <entities> \"quoted\" 'single' a b € € ©.",
                "Café über Ω→½ \u2242\u0338 ♥",
                "Second\nline\n\nthird",
                "one\ntwo bold",
                "cell 1 | cell 2\nx | y z",
                "Quoted > in an attribute",
                "keep\nthis",
                "a < b, AT&T, &unknown; &"));
        assertThat(text).doesNotContain("Title", "hidden", "color", "alert", "comment", "<p", "DOCTYPE");
    }

    @Test
    void aSphinxPageKeepsItsContentUnderItsHeadingsAndLosesItsNavigation() throws IOException {
        List<TextPiece> pieces = pieces(HtmlText.open(resource("sphinx-json.html")));
        String text = joined(pieces);
        assertThat(text).contains("JSON (JavaScript Object Notation), specified by RFC 7159",
                "Be cautious when parsing JSON data from untrusted sources.",
                ">>> json.dumps(['foo', {'bar': ('baz', None, 1.0, 2)}])",
                "JSON | Python\nobject | dict\narray | list",
                "number (real) | float",
                "JSON permits literal U+2028 (LINE SEPARATOR)");
        assertThat(text).doesNotContain("Navigation", "Table of Contents", "Previous topic", "Next topic", "This Page",
                "Report a Bug", "Show Source", "Quick search", "Copyright", "Please donate", "Created using", "3.11.2 Documentation",
                "previous |", "modules |", "¶", "Python Software Foundation");
        assertThat(pieces).extracting(TextPiece::section).containsSubsequence(
                "json — JSON encoder and decoder",
                "json — JSON encoder and decoder > Basic Usage",
                "json — JSON encoder and decoder > Encoders and Decoders");
        assertThat(pieces).filteredOn(piece -> piece.text().contains("Serialize obj as a JSON formatted stream"))
                .extracting(TextPiece::section).containsOnly("json — JSON encoder and decoder > Basic Usage");
        assertThat(pieces.get(0).text().strip()).startsWith("json — JSON encoder and decoder\n");
    }

    @Test
    void headingsMakeAPathThatALowerHeadingExtendsAndAnEqualOneReplaces() {
        List<TextPiece> pieces = pieces(HtmlText.of("""
                <p>Before any heading.</p>
                <h1>Guide</h1><p>intro</p>
                <h2>Install <a class="headerlink" href="#i">¶</a></h2><p>steps</p>
                <h3>On Linux</h3><p>apt</p>
                <h2>Use</h2><p>run it</p>
                <h4>Deep</h4><p>deep text</p>
                """));
        assertThat(pieces).extracting(TextPiece::section, piece -> piece.text().strip().replaceAll("\\s+", " ")).containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, "Before any heading."),
                org.assertj.core.groups.Tuple.tuple("Guide", "Guide intro"),
                org.assertj.core.groups.Tuple.tuple("Guide > Install", "Install steps"),
                org.assertj.core.groups.Tuple.tuple("Guide > Install > On Linux", "On Linux apt"),
                org.assertj.core.groups.Tuple.tuple("Guide > Use", "Use run it"),
                org.assertj.core.groups.Tuple.tuple("Guide > Use > Deep", "Deep deep text"));
    }

    @Test
    void inlineTextBetweenBlocksKeepsDocumentOrder() {
        String text = normalised(joined(pieces(HtmlText.of(
                "<body>lead <div>Intro <b>text</b> <p>para</p> tail</div><ul><li>Outer <ul><li>Inner</li></ul> after</li></ul> end</body>"))));
        assertThat(text).isEqualTo("lead\n\nIntro text\n\npara\n\ntail\n\nOuter\nInner\n\nafter\n\nend");
    }

    @Test
    void navigationAndPageFurnitureGo() {
        String text = normalised(joined(pieces(HtmlText.of("""
                <body>
                <div class="navheader"><table><tr><td><a href="a.html">Prev</a></td><td>Up</td><td><a href="c.html">Next</a></td></tr></table></div>
                <header><a href="/">Home</a> | Products</header>
                <nav><ul><li>Menu one</li></ul></nav>
                <div role="navigation">Crumbs</div>
                <aside>Related links</aside>
                <main><article><header><h1>Real title</h1></header><p>Real content.</p><footer>Posted by x</footer></article></main>
                <div id="sidebar">Side</div><div hidden>Secret</div><span aria-hidden="true">icon</span>
                <div class="navfooter"><a href="a.html">Prev</a> <a href="index.html">Home</a> <a href="c.html">Next</a></div>
                <footer>© Company</footer>
                <noscript>Enable JS</noscript><form><label>Search</label><input value="q"><button>Go</button></form>
                </body>"""))));
        assertThat(text).isEqualTo("Real title\n\nReal content.");
    }

    @Test
    void aFileInALegacyCharsetIsDecodedByItsMetaTag() throws IOException {
        Path page = Files.write(dir.resolve("latin.html"),
                "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\u00e9 \u00fcber</p></body></html>".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(normalised(joined(pieces(HtmlText.open(page))))).isEqualTo("Café über");
    }

    @Test
    void aLargePageIsConvertedHoldingAboutOneBlock() throws IOException {
        Path page = dir.resolve("large.html");
        int sections = 4_000;
        try (Writer out = Files.newBufferedWriter(page)) {
            out.write("<html><body><div class=\"document\"><div class=\"body\" role=\"main\"><section><h1>Manual</h1>");
            for (int i = 0; i < sections; i++) {
                out.write("<section><h2>Part " + i + "</h2><p>Some <em>text</em> with <a href='#'>a link</a> &amp; more.</p>"
                        + "lose text <span>and spans</span><ul><li>item <b>one</b></li><li><p>item two</p></li></ul>"
                        + "<table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>" + i + "</td></tr></table>"
                        + "<pre>code\n  block " + i + "</pre><div class=\"related\"><ul><li>Prev</li></ul></div></section>\n");
            }
            out.write("</section></div></div></body></html>");
        }
        assertThat(Files.size(page)).isGreaterThan(1_000_000);
        HtmlText html = HtmlText.open(page);
        AtomicInteger maxHeld = new AtomicInteger();
        AtomicInteger maxBuffered = new AtomicInteger();
        AtomicInteger parts = new AtomicInteger();
        Flux.generate(() -> html, HtmlText::next, HtmlText::close)
                .doOnNext(piece -> {
                    maxHeld.accumulateAndGet(html.heldElements(), Math::max);
                    maxBuffered.accumulateAndGet(html.bufferedChars() + piece.text().length(), Math::max);
                    parts.addAndGet(piece.text().contains("k | v\na | ") ? 1 : 0);
                })
                .as(StepVerifier::create)
                .thenConsumeWhile(piece -> !piece.text().contains("Prev"))
                .verifyComplete();
        assertThat(parts).hasValue(sections);
        assertThat(maxHeld.get()).as("elements held at once").isLessThan(30);
        assertThat(maxBuffered.get()).as("characters buffered at once").isLessThan(4 * 8192);
    }

    static List<TextPiece> pieces(HtmlText html) {
        List<TextPiece> out = new ArrayList<>();
        Flux.generate(() -> html, HtmlText::next, HtmlText::close).as(StepVerifier::create)
                .recordWith(() -> out).thenConsumeWhile(piece -> true).verifyComplete();
        return out;
    }

    static String joined(List<TextPiece> pieces) {
        return pieces.stream().map(TextPiece::text).collect(Collectors.joining());
    }

    /** What the chunker will make of it: spaces collapsed, trimmed lines, at most one blank line. */
    static String normalised(String text) {
        return text.replaceAll("[ \\t]+", " ").replaceAll("(?m)^ +| +$", "").replaceAll("\n{3,}", "\n\n").strip();
    }

    private Path resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/documents/" + name)) {
            return Files.write(dir.resolve(name), in.readAllBytes());
        }
    }
}
