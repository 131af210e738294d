package io.docqa.document;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFSDT;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import reactor.core.publisher.SynchronousSink;

/**
 * The text of a Word document's body (paragraphs, tables, content controls; not headers or footers), a few KB per
 * step of a {@code Flux.generate}. Opened from the file, so POI reads the zip lazily instead of into memory.
 * Paragraphs styled "Title" or "heading N" set the heading path; a table row is one line, its cells separated by
 * {@code " | "}.
 */
final class DocxBody {

    private static final int PIECE = 8192;
    private static final Pattern HEADING = Pattern.compile("heading\\s*(\\d)");

    private final Path file;
    private final OPCPackage zip;
    private final Iterator<IBodyElement> elements;
    private final XWPFStyles styles;
    private final Map<String, Integer> levels = new HashMap<>();
    private final HeadingPath headings = new HeadingPath();
    private IBodyElement pending;
    private boolean sawText;

    private DocxBody(Path file, OPCPackage zip, XWPFDocument document) {
        this.file = file;
        this.zip = zip;
        this.elements = document.getBodyElements().iterator();
        this.styles = document.getStyles();
    }

    static DocxBody open(Path file) {
        OPCPackage zip = null;
        try {
            zip = OPCPackage.open(file.toFile(), PackageAccess.READ);
            return new DocxBody(file, zip, new XWPFDocument(zip));
        }
        catch (Exception e) {
            if (zip != null) {
                zip.revert();
            }
            throw new UnreadableContentException("The Word document could not be read" + DocumentParser.reason(e, file));
        }
    }

    DocxBody next(SynchronousSink<TextPiece> sink) {
        try {
            StringBuilder text = new StringBuilder();
            String section = headings.current();
            while (text.length() < PIECE && (pending != null || elements.hasNext())) {
                IBodyElement element = pending != null ? pending : elements.next();
                pending = null;
                int level = element instanceof XWPFParagraph paragraph ? headingLevel(paragraph) : -1;
                if (level >= 0) {
                    if (!text.isEmpty()) {
                        pending = element;
                        break;
                    }
                    headings.enter(level, ((XWPFParagraph) element).getText());
                    section = headings.current();
                }
                append(element, text);
            }
            if (!text.isEmpty()) {
                sawText |= !text.toString().isBlank();
                sink.next(new TextPiece(section, text.toString()));
            }
            else if (sawText) {
                sink.complete();
            }
            else {
                sink.error(new UnreadableContentException("The Word document contains no text"));
            }
        }
        catch (RuntimeException e) {
            sink.error(new UnreadableContentException("The Word document could not be read" + DocumentParser.reason(e, file)));
        }
        return this;
    }

    /** 0 for a title, N for "heading N", -1 for any other paragraph. */
    private int headingLevel(XWPFParagraph paragraph) {
        String id = paragraph.getStyleID();
        return id == null ? -1 : levels.computeIfAbsent(id, this::styleLevel);
    }

    private int styleLevel(String id) {
        XWPFStyle style = styles == null ? null : styles.getStyle(id);
        String name = (style == null || style.getName() == null ? id : style.getName()).toLowerCase(Locale.ROOT);
        if (name.equals("title")) {
            return 0;
        }
        Matcher heading = HEADING.matcher(name);
        return heading.matches() ? Integer.parseInt(heading.group(1)) : -1;
    }

    private static void append(IBodyElement element, StringBuilder text) {
        if (element instanceof XWPFParagraph paragraph) {
            text.append(paragraph.getText()).append("\n\n");
        }
        else if (element instanceof XWPFTable table) {
            for (XWPFTableRow row : table.getRows()) {
                List<String> cells = new ArrayList<>();
                for (XWPFTableCell cell : row.getTableCells()) {
                    String value = cell.getText().replaceAll("\\s+", " ").strip();
                    if (!value.isEmpty()) {
                        cells.add(value);
                    }
                }
                text.append(String.join(" | ", cells)).append('\n');
            }
            text.append('\n');
        }
        else if (element instanceof XWPFSDT control) {
            text.append(control.getContent().getText()).append("\n\n");
        }
    }

    void close() {
        zip.revert();
    }
}
