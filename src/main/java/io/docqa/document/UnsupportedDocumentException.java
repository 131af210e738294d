package io.docqa.document;

/** The upload is not a kind of document we accept, or its bytes are not what its name says: a 415. */
class UnsupportedDocumentException extends RuntimeException {

    UnsupportedDocumentException(String reason) {
        super(reason, null, false, false);
    }
}
