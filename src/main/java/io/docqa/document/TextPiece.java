package io.docqa.document;

/** A piece of a document's text with the heading path it stands under ("Chapter > Section"), null where there is none. */
record TextPiece(String section, String text) {

    static TextPiece of(String text) {
        return new TextPiece(null, text);
    }
}
