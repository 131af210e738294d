package io.docqa.document;

/** The kinds of document we ingest, with the content type stored for each. */
enum DocumentKind {

    TEXT("text/plain", false),
    MARKDOWN("text/markdown", false),
    HTML("text/html", false),
    PDF("application/pdf", true),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", true);

    private final String contentType;
    private final boolean wholeFile;

    DocumentKind(String contentType, boolean wholeFile) {
        this.contentType = contentType;
        this.wholeFile = wholeFile;
    }

    String contentType() {
        return contentType;
    }

    /** Whether the parser needs the whole file at once (spooled to disk) rather than a stream of text. */
    boolean wholeFile() {
        return wholeFile;
    }
}
