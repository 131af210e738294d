package io.docqa.document;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFTable;

/** Real PDF and DOCX files, made with the same libraries that parse them. */
final class SampleFiles {

    private SampleFiles() {
    }

    /** One page per list of lines; an empty list makes a page without text. */
    static byte[] pdf(List<List<String>> pages) {
        return io.docqa.support.Uploads.pdfPages(pages);
    }

    static byte[] pdf(String... lines) {
        return pdf(List.of(List.of(lines)));
    }

    static byte[] docx(List<String> paragraphs, String[][] table) {
        try (XWPFDocument document = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String paragraph : paragraphs) {
                document.createParagraph().createRun().setText(paragraph);
            }
            if (table != null) {
                XWPFTable grid = document.createTable(table.length, table[0].length);
                for (int r = 0; r < table.length; r++) {
                    for (int c = 0; c < table[r].length; c++) {
                        grid.getRow(r).getCell(c).setText(table[r][c]);
                    }
                }
            }
            document.write(out);
            return out.toByteArray();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] docx(String... paragraphs) {
        return docx(List.of(paragraphs), null);
    }
}
