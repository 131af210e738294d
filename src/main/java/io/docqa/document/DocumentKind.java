package io.docqa.document;

/** The formats the service reads, with the content type it records for each. */
enum DocumentKind {

    TEXT("text/plain"),
    MARKDOWN("text/markdown"),
    HTML("text/html"),
    PDF("application/pdf"),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    private final String contentType;

    DocumentKind(String contentType) {
        this.contentType = contentType;
    }

    String contentType() {
        return contentType;
    }
}
