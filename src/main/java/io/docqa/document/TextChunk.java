package io.docqa.document;

/** A piece of a document's text, numbered from 0 in document order, with the heading path it starts under (or null). */
record TextChunk(int index, String section, String text) {
}
