package io.docqa.document;

/** The file is of a type the service does not read, or its bytes do not match its name. */
class UnsupportedDocumentException extends RuntimeException {

    UnsupportedDocumentException(String reason) {
        super(reason, null, false, false);
    }
}
