package io.docqa.document;

import java.util.Locale;
import java.util.Map;

/**
 * Decides what a file is from its name and its first bytes together: a name alone is not believed. A PDF must start
 * with {@code %PDF-}, a DOCX must be a ZIP, and a text file must not start like a known binary format nor hold NULs.
 */
final class ContentSniffer {

    private static final Map<String, DocumentKind> EXTENSIONS = Map.of(
            "txt", DocumentKind.TEXT, "text", DocumentKind.TEXT, "md", DocumentKind.MARKDOWN,
            "markdown", DocumentKind.MARKDOWN, "html", DocumentKind.HTML, "htm", DocumentKind.HTML,
            "pdf", DocumentKind.PDF, "docx", DocumentKind.DOCX);

    private static final byte[][] BINARY_MAGIC = {
            "%PDF-".getBytes(), { 'P', 'K', 3, 4 }, { (byte) 0x89, 'P', 'N', 'G' }, { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF },
            "GIF8".getBytes(), { 0x7F, 'E', 'L', 'F' }, { 0x1F, (byte) 0x8B }, { (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0 },
            "Rar!".getBytes(), { '7', 'z', (byte) 0xBC, (byte) 0xAF } };

    private ContentSniffer() {
    }

    static DocumentKind sniff(String filename, String declaredType, byte[] prefix) {
        DocumentKind kind = EXTENSIONS.get(extension(filename));
        if (kind == null) {
            throw new UnsupportedDocumentException("Only .txt, .md, .html, .pdf and .docx files are accepted");
        }
        boolean matches = switch (kind) {
            case PDF -> startsWith(prefix, BINARY_MAGIC[0]);
            case DOCX -> startsWith(prefix, BINARY_MAGIC[1]);
            case TEXT, MARKDOWN, HTML -> looksLikeText(prefix);
        };
        if (!matches) {
            throw new UnsupportedDocumentException("The content of '" + filename + "' is not a " + kind.name().toLowerCase(Locale.ROOT) + " file");
        }
        return kind;
    }

    /** The last path segment, without control characters, at most 255 characters; never empty. */
    static String safeFilename(String filename) {
        String name = filename == null ? "" : filename;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        while (name.startsWith(".")) {
            name = name.substring(1);
        }
        if (name.length() > 255) {
            name = name.substring(name.length() - 255);
        }
        return name.isEmpty() ? "unnamed" : name;
    }

    private static boolean looksLikeText(byte[] prefix) {
        for (byte[] magic : BINARY_MAGIC) {
            if (startsWith(prefix, magic)) {
                return false;
            }
        }
        for (byte b : prefix) {
            if (b == 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] prefix, byte[] magic) {
        if (prefix.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (prefix[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String extension(String filename) {
        int dot = filename.lastIndexOf('.');
        return dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
