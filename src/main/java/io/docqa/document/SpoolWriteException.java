package io.docqa.document;

import java.io.IOException;

/** The server's disk refused the spool file (full, out of inodes, failing): answered {@code 507 insufficient_storage}. */
final class SpoolWriteException extends RuntimeException {

    SpoolWriteException(IOException cause) {
        super("The upload could not be written to disk: " + cause.getMessage(), cause);
    }
}
