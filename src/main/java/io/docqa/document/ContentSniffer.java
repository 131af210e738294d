package io.docqa.document;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Decides what an upload is from its name, its declared type and its first bytes, all of which must agree. The
 * bytes win over the name: a PNG named {@code .txt} or a PDF named {@code .docx} is refused, not parsed.
 */
final class ContentSniffer {

    static final String ACCEPTED = ".txt, .md, .html, .pdf, .docx";
    private static final int MAX_FILENAME = 255;
    private static final byte[] PDF_MAGIC = ascii("%PDF-");
    private static final byte[] ZIP_MAGIC = { 'P', 'K', 3, 4 };

    private static final Map<String, DocumentKind> EXTENSIONS = Map.of(
            "txt", DocumentKind.TEXT, "text", DocumentKind.TEXT,
            "md", DocumentKind.MARKDOWN, "markdown", DocumentKind.MARKDOWN,
            "html", DocumentKind.HTML, "htm", DocumentKind.HTML,
            "pdf", DocumentKind.PDF, "docx", DocumentKind.DOCX);

    private static final Map<String, DocumentKind> TYPES = Map.of(
            "text/plain", DocumentKind.TEXT,
            "text/markdown", DocumentKind.MARKDOWN, "text/x-markdown", DocumentKind.MARKDOWN,
            "text/html", DocumentKind.HTML, "application/xhtml+xml", DocumentKind.HTML,
            "application/pdf", DocumentKind.PDF,
            DocumentKind.DOCX.contentType(), DocumentKind.DOCX);

    /** Formats whose first bytes say "binary" for sure (most others have a NUL byte in their header, which text never has). */
    private record Magic(String name, byte[] bytes) {
    }

    private static final Magic[] BINARY = {
            new Magic("a PDF", PDF_MAGIC),
            new Magic("a ZIP archive (or an Office document)", ZIP_MAGIC),
            new Magic("a ZIP archive", new byte[] { 'P', 'K', 5, 6 }),
            new Magic("a ZIP archive", new byte[] { 'P', 'K', 7, 8 }),
            new Magic("a PNG image", new byte[] { (byte) 0x89, 'P', 'N', 'G' }),
            new Magic("a JPEG image", new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF }),
            new Magic("a GIF image", ascii("GIF87a")),
            new Magic("a GIF image", ascii("GIF89a")),
            new Magic("an executable", new byte[] { 0x7F, 'E', 'L', 'F' }),
            new Magic("a gzip archive", new byte[] { 0x1F, (byte) 0x8B }),
            new Magic("a 7-Zip archive", new byte[] { '7', 'z', (byte) 0xBC, (byte) 0xAF, 0x27, 0x1C }),
            new Magic("a RAR archive", ascii("Rar!\u001A\u0007")),
            new Magic("an xz archive", new byte[] { (byte) 0xFD, '7', 'z', 'X', 'Z', 0 }),
            new Magic("a zstd archive", new byte[] { 0x28, (byte) 0xB5, 0x2F, (byte) 0xFD }),
            new Magic("a legacy Office document", new byte[] { (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0 }),
            new Magic("a Java class file", new byte[] { (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE }),
            new Magic("UTF-16 text (only UTF-8 is accepted)", new byte[] { (byte) 0xFF, (byte) 0xFE }),
            new Magic("UTF-16 text (only UTF-8 is accepted)", new byte[] { (byte) 0xFE, (byte) 0xFF }),
    };

    private ContentSniffer() {
    }

    /**
     * @param filename     the (already {@link #safeFilename safe}) name the client gave
     * @param declaredType the part's Content-Type, or null; generic types such as application/octet-stream are ignored
     * @param prefix       the first bytes of the file (a few hundred are plenty); an empty file is the caller's case
     * @throws UnsupportedDocumentException when the kind is unknown or name, type and bytes disagree
     */
    static DocumentKind sniff(String filename, String declaredType, byte[] prefix) {
        String extension = extension(filename);
        String declared = baseType(declaredType);
        DocumentKind byName = extension == null ? null : EXTENSIONS.get(extension);
        DocumentKind byType = declared == null ? null : TYPES.get(declared);
        if (extension != null && byName == null) {
            throw new UnsupportedDocumentException("'." + extension + "' files are not supported; accepted: " + ACCEPTED);
        }
        DocumentKind kind = byName != null ? byName : byType;
        if (kind == null) {
            throw new UnsupportedDocumentException("The type of '" + filename + "' cannot be told from its name; accepted: " + ACCEPTED);
        }
        if (declared != null && contradicts(kind, declared, byType)) {
            throw new UnsupportedDocumentException("'" + filename + "' is declared as " + declared + ", which does not match its name");
        }
        checkBytes(kind, filename, prefix);
        return kind;
    }

    private static boolean contradicts(DocumentKind kind, String declared, DocumentKind byType) {
        if (byType != null) {
            return family(byType) != family(kind);
        }
        return declared.startsWith("image/") || declared.startsWith("audio/") || declared.startsWith("video/")
                || declared.startsWith("font/") || declared.startsWith("model/");
    }

    private static DocumentKind family(DocumentKind kind) {
        return kind.binary() ? kind : DocumentKind.TEXT;
    }

    private static void checkBytes(DocumentKind kind, String filename, byte[] prefix) {
        switch (kind) {
            case PDF -> {
                if (!startsWith(prefix, PDF_MAGIC)) {
                    throw mismatch(filename, "a PDF", prefix);
                }
            }
            case DOCX -> {
                if (!startsWith(prefix, ZIP_MAGIC)) {
                    throw mismatch(filename, "a Word (.docx) document", prefix);
                }
            }
            default -> {
                for (Magic magic : BINARY) {
                    if (startsWith(prefix, magic.bytes())) {
                        throw new UnsupportedDocumentException("'" + filename + "' is named as text but its content is " + magic.name());
                    }
                }
                for (byte b : prefix) {
                    if (b == 0) {
                        throw new UnsupportedDocumentException("'" + filename + "' is named as text but contains binary data");
                    }
                }
            }
        }
    }

    private static UnsupportedDocumentException mismatch(String filename, String expected, byte[] prefix) {
        String actual = Arrays.stream(BINARY).filter(magic -> startsWith(prefix, magic.bytes())).map(Magic::name)
                .findFirst().orElse(prefix.length == 0 ? "empty" : "something else");
        return new UnsupportedDocumentException("'" + filename + "' is named as " + expected + " but its content is " + actual);
    }

    /**
     * The client's file name without any directory part, control or bidirectional-override characters, unpaired surrogates or
     * double quotes (a quote needs escaping in every header that would name the file), trimmed and at
     * most 255 characters long (keeping the extension); "unnamed" when nothing is left.
     */
    static String safeFilename(String name) {
        if (name == null) {
            return "unnamed";
        }
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder clean = new StringBuilder(Math.min(base.length(), 1024));
        base.codePoints().filter(cp -> !Character.isISOControl(cp) && !isInvisibleControl(cp)
                        && Character.getType(cp) != Character.SURROGATE && cp != '"')
                .forEach(clean::appendCodePoint);
        String trimmed = clean.toString().strip();
        if (trimmed.isEmpty() || trimmed.chars().allMatch(c -> c == '.')) {
            return "unnamed";
        }
        return truncate(trimmed);
    }

    private static boolean isInvisibleControl(int cp) {
        return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
                || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;
    }

    private static String truncate(String name) {
        if (name.length() <= MAX_FILENAME) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        int keep = MAX_FILENAME - ext.length();
        if (Character.isHighSurrogate(name.charAt(keep - 1))) {
            keep--;
        }
        return name.substring(0, keep) + ext;
    }

    private static String extension(String filename) {
        int dot = filename == null ? -1 : filename.lastIndexOf('.');
        if (dot < 0 || dot == filename.length() - 1) {
            return null;
        }
        return filename.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String baseType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String base = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return base.isEmpty() || base.equals("application/octet-stream") || base.equals("binary/octet-stream") ? null : base;
    }

    private static boolean startsWith(byte[] bytes, byte[] magic) {
        return bytes.length >= magic.length && Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
