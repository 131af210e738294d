package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

class DocxBodyTest {

    private final DocumentParser parser = new DocumentParser(1, 8);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        parser.destroy();
    }

    @Test
    void headingStylesMakeTheHeadingPathAndTablesAreRows() throws IOException {
        byte[] docx;
        try (XWPFDocument document = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CTStyle localized = CTStyle.Factory.newInstance();
            localized.setStyleId("berschrift2");
            localized.setType(STStyleType.PARAGRAPH);
            localized.addNewName().setVal("heading 2");
            document.createStyles().addStyle(new XWPFStyle(localized));
            paragraph(document, null, "Preface without a heading.");
            paragraph(document, "Title", "Llama Care");
            paragraph(document, "Heading1", "Feeding");
            paragraph(document, null, "Hay, twice a day.");
            paragraph(document, "berschrift2", "Water");
            paragraph(document, null, "Fresh water at all times.");
            XWPFTable table = document.createTable(3, 2);
            String[][] cells = { { "Age", "Hay per day" }, { "Cria", "0.5 kg" }, { "Adult", "2 kg\nor more" } };
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 2; c++) {
                    table.getRow(r).getCell(c).setText(cells[r][c]);
                }
            }
            paragraph(document, "Heading1", "Shearing");
            paragraph(document, null, "Once a year.");
            document.write(out);
            docx = out.toByteArray();
        }
        List<TextPiece> pieces = parser.parse(Files.write(dir.resolve("care.docx"), docx), DocumentKind.DOCX).collectList().block();
        assertThat(pieces).extracting(TextPiece::section, piece -> piece.text().strip()).containsExactly(
                tuple(null, "Preface without a heading."),
                tuple("Llama Care", "Llama Care"),
                tuple("Llama Care > Feeding", "Feeding\n\nHay, twice a day."),
                tuple("Llama Care > Feeding > Water", "Water\n\nFresh water at all times.\n\nAge | Hay per day\nCria | 0.5 kg\nAdult | 2 kg or more"),
                tuple("Llama Care > Shearing", "Shearing\n\nOnce a year."));
    }

    private static void paragraph(XWPFDocument document, String style, String text) {
        var paragraph = document.createParagraph();
        if (style != null) {
            paragraph.setStyle(style);
        }
        paragraph.createRun().setText(text);
    }
}
