package io.docqa.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.util.MultiValueMap;
import org.springframework.http.HttpEntity;

/** Files made in the tests: prose, a real PDF and a real DOCX. */
public final class Uploads {

    private Uploads() {
    }

    public static String prose(String topic, int paragraphs) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < paragraphs; p++) {
            text.append("Paragraph ").append(p).append(" is about ").append(topic)
                    .append(". It explains how the ").append(topic).append(" works in practice, step by step. ")
                    .append("Every team that relies on ").append(topic).append(" should read section ").append(p)
                    .append(" carefully before changing anything.\n\n");
        }
        return text.toString();
    }

    public static byte[] pdf(String... lines) {
        return pdfPages(java.util.List.of(java.util.List.of(lines)));
    }

    /** One page per list of lines; an empty list makes a page without text. */
    public static byte[] pdfPages(java.util.List<java.util.List<String>> pages) {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (java.util.List<String> lines : pages) {
                PDPage page = new PDPage();
                document.addPage(page);
                if (lines.isEmpty()) {
                    continue;
                }
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    content.newLineAtOffset(50, 700);
                    for (String line : lines) {
                        content.showText(line);
                        content.newLineAtOffset(0, -16);
                    }
                    content.endText();
                }
            }
            document.save(out);
            return out.toByteArray();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] docx(String... paragraphs) {
        try (XWPFDocument document = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String paragraph : paragraphs) {
                document.createParagraph().createRun().setText(paragraph);
            }
            document.write(out);
            return out.toByteArray();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MultiValueMap<String, HttpEntity<?>> files(NamedBytes... files) {
        MultipartBodyBuilder builder = new MultipartBodyBuilder();
        for (NamedBytes file : files) {
            builder.part("file", new ByteArrayResource(file.bytes()) {
                @Override
                public String getFilename() {
                    return file.name();
                }
            }).contentType(MediaType.APPLICATION_OCTET_STREAM);
        }
        return builder.build();
    }

    public static NamedBytes text(String name, String content) {
        return new NamedBytes(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public record NamedBytes(String name, byte[] bytes) {
    }
}
