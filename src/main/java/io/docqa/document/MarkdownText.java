package io.docqa.document;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.text.TextContentNodeRendererContext;
import org.commonmark.renderer.text.TextContentRenderer;
import org.jsoup.Jsoup;
import reactor.core.publisher.SynchronousSink;

/**
 * The text of a Markdown file under its heading path, rendered by commonmark-java (with GFM tables): heading, link
 * and image-description text stay, markup and inline HTML go, entities are decoded, an HTML block keeps its text.
 * <p>
 * Bounded memory: the file is read in segments that end at a blank line outside fenced code once they hold
 * {@value #SEGMENT} characters (or, failing that, at {@value #MAX_SEGMENT}), and each segment is parsed on its own.
 * A blank line ends every block but a fenced one in CommonMark, so the split changes nothing but references to a link
 * definition in another segment: those keep their text ({@code [text][label]} becomes {@code text}). Not thread-safe.
 */
final class MarkdownText {

    static final int SEGMENT = 16 * 1024;
    static final int MAX_SEGMENT = 256 * 1024;
    private static final Pattern UNRESOLVED_REFERENCE = Pattern.compile("\\[([^\\[\\]\\n]+)\\]\\[[^\\[\\]\\n]*\\]");
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final TextContentRenderer RENDERER = TextContentRenderer.builder()
            .nodeRendererFactory(PlainText::new)
            .extensions(EXTENSIONS)
            .build();

    private final Reader reader;
    private final Path file;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder segment = new StringBuilder();
    private final HeadingPath headings = new HeadingPath();
    private final Deque<TextPiece> ready = new ArrayDeque<>();
    private char fence;
    private int fenceLength;
    private boolean done;
    private boolean atStart = true;

    private MarkdownText(Reader reader, Path file) {
        this.reader = reader;
        this.file = file;
    }

    static MarkdownText open(Path file) {
        try {
            return new MarkdownText(Files.newBufferedReader(file), file);
        }
        catch (IOException e) {
            throw new UnreadableContentException("The Markdown file could not be read" + DocumentParser.reason(e, file));
        }
    }

    static MarkdownText of(String markdown) {
        return new MarkdownText(new StringReader(markdown), Path.of("text.md"));
    }

    MarkdownText next(SynchronousSink<TextPiece> sink) {
        try {
            while (ready.isEmpty() && !done) {
                readSegment();
            }
            if (ready.isEmpty()) {
                sink.complete();
            }
            else {
                sink.next(ready.poll());
            }
        }
        catch (CharacterCodingException e) {
            sink.error(new UnreadableContentException("The file is not valid UTF-8 text"));
        }
        catch (IOException | RuntimeException e) {
            sink.error(new UnreadableContentException("The Markdown file could not be read" + DocumentParser.reason(e, file)));
        }
        return this;
    }

    /** Characters held: the segment being read and the text rendered from the last one. */
    int bufferedChars() {
        return line.length() + segment.length() + ready.stream().mapToInt(piece -> piece.text().length()).sum();
    }

    void close() {
        try {
            reader.close();
        }
        catch (IOException e) {
            // read only; the spool file is deleted anyway
        }
    }

    private void readSegment() throws IOException {
        while (true) {
            if (position == limit) {
                limit = reader.read(buffer);
                position = 0;
                if (limit < 0) {
                    limit = 0;
                    segment.append(line);
                    line.setLength(0);
                    render();
                    done = true;
                    return;
                }
            }
            char c = buffer[position++];
            if (atStart) {
                atStart = false;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            line.append(c);
            if (c == '\n' || line.length() >= MAX_SEGMENT) {
                boolean blank = endOfLine();
                if (blank && fence == 0 && segment.length() >= SEGMENT || segment.length() >= MAX_SEGMENT) {
                    render();
                    return;
                }
            }
        }
    }

    /** Moves the line into the segment, keeping track of fenced code; returns whether the line was blank. */
    private boolean endOfLine() {
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') {
            indent++;
        }
        boolean blank = line.toString().isBlank();
        if (indent <= 3 && indent < line.length()) {
            char c = line.charAt(indent);
            int run = 0;
            while (indent + run < line.length() && line.charAt(indent + run) == c) {
                run++;
            }
            if ((c == '`' || c == '~') && run >= 3) {
                if (fence == 0) {
                    fence = c;
                    fenceLength = run;
                }
                else if (c == fence && run >= fenceLength && line.substring(indent + run).isBlank()) {
                    fence = 0;
                }
            }
        }
        segment.append(line);
        line.setLength(0);
        return blank;
    }

    private void render() {
        if (segment.toString().isBlank()) {
            segment.setLength(0);
            return;
        }
        Node document = PARSER.parse(segment.toString());
        segment.setLength(0);
        StringBuilder text = new StringBuilder();
        for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
            if (block instanceof Heading heading) {
                emit(text);
                String title = RENDERER.render(heading).strip();
                headings.enter(heading.getLevel(), title);
                text.append(title).append("\n\n");
            }
            else {
                text.append(RENDERER.render(block).strip()).append("\n\n");
            }
        }
        emit(text);
    }

    private void emit(StringBuilder text) {
        if (!text.toString().isBlank()) {
            ready.add(new TextPiece(headings.current(), UNRESOLVED_REFERENCE.matcher(text).replaceAll("$1")));
        }
        text.setLength(0);
    }

    /**
     * Links and images as their text, code without quotes, a quote without guillemets, a table row as one line with
     * its cells separated by {@code " | "}; inline HTML dropped, an HTML block as its text.
     */
    private static final class PlainText implements NodeRenderer {

        private final TextContentNodeRendererContext context;

        PlainText(TextContentNodeRendererContext context) {
            this.context = context;
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Link.class, Image.class, Code.class, BlockQuote.class, TableBlock.class, HtmlInline.class, HtmlBlock.class);
        }

        @Override
        public void render(Node node) {
            if (node instanceof HtmlBlock block) {
                String text = Jsoup.parseBodyFragment(block.getLiteral()).text();
                if (!text.isBlank()) {
                    context.getWriter().write(text);
                    context.getWriter().block();
                }
            }
            else if (node instanceof Code code) {
                context.getWriter().write(code.getLiteral());
            }
            else if (node instanceof TableBlock table) {
                rows(table);
                context.getWriter().block();
            }
            else if (!(node instanceof HtmlInline)) {
                for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
                    context.render(child);
                }
                if (node instanceof BlockQuote) {
                    context.getWriter().block();
                }
            }
        }

        private void rows(Node parent) {
            for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
                if (child instanceof TableRow row) {
                    List<String> cells = new ArrayList<>();
                    for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                        StringBuilder content = new StringBuilder();
                        for (Node inline = cell.getFirstChild(); inline != null; inline = inline.getNext()) {
                            content.append(RENDERER.render(inline));
                        }
                        cells.add(content.toString().strip());
                    }
                    context.getWriter().write(String.join(" | ", cells));
                    context.getWriter().line();
                }
                else {
                    rows(child);
                }
            }
        }
    }
}
