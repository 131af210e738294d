package io.docqa.document;

/** The file is of a supported type but its content cannot be read; the document fails with this reason. */
class UnreadableContentException extends RuntimeException {

    UnreadableContentException(String reason) {
        super(reason, null, false, false);
    }
}
