package io.docqa.document;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.jsoup.helper.DataUtil;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;
import org.jsoup.parser.StreamParser;
import reactor.core.publisher.SynchronousSink;

/**
 * The text of an HTML file under its heading path, parsed by jsoup's {@link StreamParser} (charset from a byte order
 * mark or {@code <meta>}, else UTF-8; every HTML5 entity decoded) and emitted a few KB per step of a
 * {@code Flux.generate}. Each element is handled when it is complete and then removed from the tree, so memory holds
 * about one block (a paragraph, a table row) rather than the document; a single run of text without any tag is the
 * exception jsoup itself holds whole.
 * <p>
 * Navigation and page furniture go: {@link HtmlBoilerplate}. Headings {@code h1}-{@code h6} set the heading path and
 * start a paragraph; block elements are paragraphs, list items and {@code <br>} lines, a table row one line with its
 * cells separated by {@code " | "}; whitespace collapses as a browser would, except inside {@code <pre>}. Not thread-safe.
 */
final class HtmlText {

    private static final int PIECE = 8192;
    private static final Set<String> BLOCKS = Set.of("html", "body", "p", "div", "section", "article", "main",
            "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "li", "table", "tr", "caption",
            "figure", "figcaption", "address", "hr", "details", "summary", "fieldset", "legend", "center", "dialog",
            "h1", "h2", "h3", "h4", "h5", "h6");
    private static final Set<String> LINES = Set.of("li", "dt", "br", "tr");

    private final StreamParser parser;
    private final Iterator<Element> elements;
    private final HeadingPath headings = new HeadingPath();
    private final Deque<TextPiece> ready = new ArrayDeque<>();
    private final StringBuilder text = new StringBuilder();
    private final Path file;
    private boolean done;

    private HtmlText(StreamParser parser, Path file) {
        this.parser = parser;
        this.elements = parser.iterator();
        this.file = file;
    }

    static HtmlText open(Path file) {
        try {
            return new HtmlText(DataUtil.streamParser(file, null, "", Parser.htmlParser()), file);
        }
        catch (IOException | RuntimeException e) {
            throw new UnreadableContentException("The HTML file could not be read" + DocumentParser.reason(e, file));
        }
    }

    static HtmlText of(String html) {
        return new HtmlText(new StreamParser(Parser.htmlParser()).parse(html, ""), Path.of("page.html"));
    }

    HtmlText next(SynchronousSink<TextPiece> sink) {
        try {
            while (ready.isEmpty() && !done) {
                if (elements.hasNext()) {
                    completed(elements.next());
                }
                else {
                    done = true;
                    List<Node> rest = new ArrayList<>(parser.document().childNodes());
                    rest.forEach(node -> inline(node, text, false));
                    rest.forEach(Node::remove);
                    flushPiece();
                }
            }
            if (ready.isEmpty()) {
                sink.complete();
            }
            else {
                sink.next(ready.poll());
            }
        }
        catch (RuntimeException e) {
            sink.error(new UnreadableContentException("The HTML file could not be read" + DocumentParser.reason(e, file)));
        }
        return this;
    }

    /** Characters the converter holds besides the parser's tree: about one piece. */
    int bufferedChars() {
        return text.length() + ready.stream().mapToInt(piece -> piece.text().length()).sum();
    }

    /** Elements (with their descendants) the parser still holds. */
    int heldElements() {
        return parser.document().getAllElements().size();
    }

    void close() {
        parser.close();
    }

    private void completed(Element element) {
        if (HtmlBoilerplate.isBoilerplate(element)) {
            element.remove();
            return;
        }
        if (heldForLater(element)) {
            return;
        }
        String name = element.normalName();
        boolean br = name.equals("br");
        if (!br && !BLOCKS.contains(name)) {
            return;
        }
        boolean pre = flushBefore(element);
        if (name.length() == 2 && name.charAt(0) == 'h' && Character.isDigit(name.charAt(1))) {
            StringBuilder heading = new StringBuilder();
            inline(element, heading, false);
            flushPiece();
            headings.enter(name.charAt(1) - '0', heading.toString());
            text.append(heading.toString().strip());
        }
        else if (name.equals("tr")) {
            row(element);
        }
        else if (!br) {
            for (Node child : element.childNodes()) {
                inline(child, text, pre || name.equals("pre"));
            }
        }
        text.append(LINES.contains(name) ? "\n" : "\n\n");
        element.remove();
        if (text.length() >= PIECE) {
            flushPiece();
        }
    }

    /**
     * Whether the element waits for an ancestor: a boilerplate ancestor drops it (it is removed now, to keep memory
     * bounded), a table row renders it.
     */
    private boolean heldForLater(Element element) {
        for (Element ancestor = element.parent(); ancestor != null; ancestor = ancestor.parent()) {
            if (HtmlBoilerplate.isBoilerplate(ancestor)) {
                element.remove();
                return true;
            }
            if (ancestor.normalName().equals("tr")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Emits, outermost first, the inline content that precedes the element in each of its ancestors (it was left
     * there by inline elements, which wait for a block), so that text keeps document order. Returns whether the
     * element is inside a {@code <pre>}.
     */
    private boolean flushBefore(Element element) {
        List<Element> path = new ArrayList<>();
        for (Element ancestor = element.parent(); ancestor != null; ancestor = ancestor.parent()) {
            path.add(ancestor);
        }
        boolean pre = false;
        boolean br = element.normalName().equals("br");
        StringBuilder run = new StringBuilder();
        for (int i = path.size() - 1; i >= 0; i--) {
            Element ancestor = path.get(i);
            pre |= ancestor.normalName().equals("pre");
            Node child = i == 0 ? element : path.get(i - 1);
            while (ancestor.firstChild() != null && ancestor.firstChild() != child) {
                Node node = ancestor.firstChild();
                inline(node, run, pre);
                node.remove();
            }
            if (!run.toString().isBlank()) {
                text.append(run).append(br ? "" : ancestor.normalName().equals("li") ? "\n" : "\n\n");
            }
            run.setLength(0);
        }
        return pre;
    }

    private void row(Element row) {
        List<String> cells = new ArrayList<>();
        for (Element cell : row.children()) {
            StringBuilder content = new StringBuilder();
            inline(cell, content, false);
            String value = collapse(content);
            if (!value.isEmpty()) {
                cells.add(value);
            }
        }
        text.append(String.join(" | ", cells));
    }

    private static void inline(Node node, StringBuilder out, boolean pre) {
        if (node instanceof TextNode textNode) {
            out.append(pre ? textNode.getWholeText() : textNode.text());
        }
        else if (node instanceof Element element && !HtmlBoilerplate.isBoilerplate(element)) {
            String name = element.normalName();
            if (name.equals("br")) {
                out.append('\n');
                return;
            }
            boolean block = BLOCKS.contains(name) || name.equals("td") || name.equals("th");
            if (block) {
                out.append(pre ? "\n" : " ");
            }
            for (Node child : element.childNodes()) {
                inline(child, out, pre || name.equals("pre"));
            }
            if (block) {
                out.append(pre ? "\n" : " ");
            }
        }
    }

    private static String collapse(CharSequence text) {
        return text.toString().replaceAll("\\s+", " ").strip();
    }

    private void flushPiece() {
        if (!text.toString().isBlank()) {
            ready.add(new TextPiece(headings.current(), text.toString()));
        }
        text.setLength(0);
    }
}
