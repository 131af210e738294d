package io.docqa.document;

/** A piece of a document's text, numbered from 0 in document order. */
record TextChunk(int index, String text) {
}
