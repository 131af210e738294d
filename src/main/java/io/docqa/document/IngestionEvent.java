package io.docqa.document;

import java.util.UUID;

/** What an upload reports while it runs: progress of a file, then the file's document. */
sealed interface IngestionEvent {

    record Progress(UUID documentId, String filename, long bytesRead, long chunksEmbedded) implements IngestionEvent {
    }

    record Finished(Document document) implements IngestionEvent {
    }
}
