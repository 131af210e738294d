package io.docqa.chat;

import java.util.UUID;

/** A retrieved passage as the client sees it; its position in the list is its citation number minus one. */
record Source(UUID documentId, String filename, int chunkIndex, double score, String text) {
}
