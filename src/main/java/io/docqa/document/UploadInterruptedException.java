package io.docqa.document;

/** The connection of an upload closed before every byte of a file had arrived: its client went away. */
final class UploadInterruptedException extends RuntimeException {

    UploadInterruptedException(Throwable cause) {
        super("The upload was interrupted before all of the file arrived", cause, false, false);
    }
}
