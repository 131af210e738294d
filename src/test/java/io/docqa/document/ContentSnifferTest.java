package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ContentSnifferTest {

    private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
    private static final byte[] TEXT = "Plain words, nothing more.\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void realFilesAreRecognisedByNameAndBytes() {
        assertThat(ContentSniffer.sniff("report.pdf", "application/pdf", prefix(SampleFiles.pdf("Hello")))).isEqualTo(DocumentKind.PDF);
        assertThat(ContentSniffer.sniff("Letter.DOCX", null, prefix(SampleFiles.docx("Hello")))).isEqualTo(DocumentKind.DOCX);
        assertThat(ContentSniffer.sniff("notes.txt", "text/plain; charset=UTF-8", TEXT)).isEqualTo(DocumentKind.TEXT);
        assertThat(ContentSniffer.sniff("README.md", "application/octet-stream", TEXT)).isEqualTo(DocumentKind.MARKDOWN);
        assertThat(ContentSniffer.sniff("page.htm", "text/html", "<!doctype html><p>hi".getBytes())).isEqualTo(DocumentKind.HTML);
        assertThat(ContentSniffer.sniff("über €.txt", null, "é€😀".getBytes(StandardCharsets.UTF_8))).isEqualTo(DocumentKind.TEXT);
    }

    @Test
    void withoutAnExtensionTheDeclaredTypeDecides() {
        assertThat(ContentSniffer.sniff("README", "text/markdown", TEXT)).isEqualTo(DocumentKind.MARKDOWN);
        assertThatThrownBy(() -> ContentSniffer.sniff("README", "application/octet-stream", TEXT))
                .isInstanceOf(UnsupportedDocumentException.class).hasMessageContaining("cannot be told");
    }

    @Test
    void contentTypesAreTheStoredOnes() {
        assertThat(Arrays.stream(DocumentKind.values()).map(DocumentKind::contentType)).containsExactly("text/plain",
                "text/markdown", "text/html", "application/pdf",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    }

    @Test
    void disguisedFilesAreRefused() {
        assertUnsupported("image.txt", null, PNG, "PNG");
        assertUnsupported("report.docx", null, prefix(SampleFiles.pdf("A real PDF")), "a PDF");
        assertUnsupported("notes.pdf", null, "just text, not a pdf".getBytes(), "is named as a PDF");
        assertUnsupported("archive.md", null, prefix(SampleFiles.docx("zipped")), "ZIP");
        assertUnsupported("page.html", null, prefix(SampleFiles.pdf("x")), "a PDF");
        assertUnsupported("photo.txt", null, new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0 }, "JPEG");
        assertUnsupported("program.txt", null, new byte[] { 0x7F, 'E', 'L', 'F', 2, 1, 1 }, "executable");
        assertUnsupported("data.txt", null, "MZ\u0090\0\3\0\0\0".getBytes(StandardCharsets.ISO_8859_1), "binary data");
        assertUnsupported("wide.txt", null, "\uFEFFhi".getBytes(StandardCharsets.UTF_16LE), "UTF-16");
    }

    @Test
    void unknownExtensionsAreRefused() {
        assertUnsupported("tool.exe", null, "MZ binary".getBytes(), "'.exe' files are not supported");
        assertUnsupported("sheet.xlsx", null, prefix(SampleFiles.docx("x")), "'.xlsx'");
        assertUnsupported("archive.tar.gz", null, new byte[] { 0x1F, (byte) 0x8B }, "'.gz'");
    }

    @Test
    void aDeclaredTypeThatContradictsTheNameIsRefused() {
        assertUnsupported("notes.txt", "image/png", TEXT, "declared as image/png");
        assertUnsupported("report.pdf", DocumentKind.DOCX.contentType(), prefix(SampleFiles.pdf("x")), "does not match");
        assertThat(ContentSniffer.sniff("notes.md", "text/plain", TEXT)).as("text types are interchangeable").isEqualTo(DocumentKind.MARKDOWN);
    }

    @Test
    void anEmptyPrefixPassesForTextButIsNotAPdf() {
        assertThat(ContentSniffer.sniff("empty.txt", null, new byte[0])).isEqualTo(DocumentKind.TEXT);
        assertUnsupported("empty.pdf", null, new byte[0], "empty");
        assertUnsupported("empty.docx", null, new byte[0], "empty");
    }

    @Test
    void safeFilenamesLoseTheirPathsAndControlCharacters() {
        assertThat(ContentSniffer.safeFilename("../../etc/passwd")).isEqualTo("passwd");
        assertThat(ContentSniffer.safeFilename("C:\\Users\\me\\report.pdf")).isEqualTo("report.pdf");
        assertThat(ContentSniffer.safeFilename("../../etc/<script>alert(1)</script>.txt")).isEqualTo("script>.txt");
        assertThat(ContentSniffer.safeFilename("  bad\u0000name\r\n.txt  ")).isEqualTo("badname.txt");
        assertThat(ContentSniffer.safeFilename("invoice\u202Etxt.exe")).isEqualTo("invoicetxt.exe");
        assertThat(ContentSniffer.safeFilename("Grüße 😀 <b>.md")).isEqualTo("Grüße 😀 <b>.md");
        assertThat(ContentSniffer.safeFilename("\"a")).as("what a parser leaves of a name broken by CRLF").isEqualTo("a");
        assertThat(ContentSniffer.safeFilename("lone\ud800 high.txt")).isEqualTo("lone high.txt");
        assertThat(ContentSniffer.safeFilename("..")).isEqualTo("unnamed");
        assertThat(ContentSniffer.safeFilename("dir/")).isEqualTo("unnamed");
        assertThat(ContentSniffer.safeFilename("   ")).isEqualTo("unnamed");
        assertThat(ContentSniffer.safeFilename(null)).isEqualTo("unnamed");
    }

    @Test
    void longNamesAreCutKeepingTheExtensionAndWholeCharacters() {
        String cut = ContentSniffer.safeFilename("a".repeat(300) + ".pdf");
        assertThat(cut).hasSize(255).endsWith("aaa.pdf");
        String emoji = ContentSniffer.safeFilename("a" + "😀".repeat(200) + ".txt");
        assertThat(emoji.length()).isLessThanOrEqualTo(255);
        assertThat(emoji).endsWith("😀.txt");
        assertThat(Character.isHighSurrogate(emoji.charAt(emoji.length() - 5))).isFalse();
    }

    private static void assertUnsupported(String name, String type, byte[] bytes, String reason) {
        assertThatThrownBy(() -> ContentSniffer.sniff(name, type, prefix(bytes)))
                .as(name).isInstanceOf(UnsupportedDocumentException.class).hasMessageContaining(reason);
    }

    private static byte[] prefix(byte[] bytes) {
        return Arrays.copyOf(bytes, Math.min(bytes.length, 512));
    }
}
