package io.docqa.document;

import java.time.Instant;
import java.util.UUID;

/** A document as the API shows it. */
record Document(UUID id, String filename, String contentType, long sizeBytes, String sha256, Status status,
        int chunkCount, String error, Instant createdAt) {

    enum Status {
        INGESTING, READY, FAILED;

        @com.fasterxml.jackson.annotation.JsonValue
        String json() {
            return name().toLowerCase();
        }

        static Status of(String value) {
            return valueOf(value.toUpperCase());
        }
    }
}
