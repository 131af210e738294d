package io.docqa.document;

/** The kinds of document we ingest, with the content type stored for each. */
enum DocumentKind {

    TEXT("text/plain", false),
    MARKDOWN("text/markdown", false),
    HTML("text/html", false),
    PDF("application/pdf", true),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", true);

    private final String contentType;
    private final boolean binary;

    DocumentKind(String contentType, boolean binary) {
        this.contentType = contentType;
        this.binary = binary;
    }

    String contentType() {
        return contentType;
    }

    /** Whether the format is a binary container (its bytes are not text) rather than a kind of text. */
    boolean binary() {
        return binary;
    }
}
