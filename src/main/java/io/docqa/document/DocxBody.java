package io.docqa.document;

import java.nio.file.Path;
import java.util.Iterator;

import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFSDT;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import reactor.core.publisher.SynchronousSink;

/**
 * The text of a Word document's body (paragraphs, tables, content controls; not headers or footers), a few KB per
 * step of a {@code Flux.generate}. Opened from the file, so POI reads the zip lazily instead of into memory.
 */
final class DocxBody {

    private static final int PIECE = 8192;

    private final Path file;
    private final OPCPackage zip;
    private final Iterator<IBodyElement> elements;
    private boolean sawText;

    private DocxBody(Path file, OPCPackage zip, XWPFDocument document) {
        this.file = file;
        this.zip = zip;
        this.elements = document.getBodyElements().iterator();
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

    DocxBody next(SynchronousSink<String> sink) {
        try {
            StringBuilder text = new StringBuilder();
            while (text.length() < PIECE && elements.hasNext()) {
                append(elements.next(), text);
            }
            if (!text.isEmpty()) {
                sawText |= !text.toString().isBlank();
                sink.next(text.toString());
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

    private static void append(IBodyElement element, StringBuilder text) {
        if (element instanceof XWPFParagraph paragraph) {
            text.append(paragraph.getText()).append("\n\n");
        }
        else if (element instanceof XWPFTable table) {
            for (XWPFTableRow row : table.getRows()) {
                for (XWPFTableCell cell : row.getTableCells()) {
                    text.append(cell.getText()).append(" | ");
                }
                text.append('\n');
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
