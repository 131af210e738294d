package io.docqa.document;

/** A file crossed the size limit; raised as soon as it does, so no more of it is read. */
class TooLargeException extends RuntimeException {

    private final long limit;

    TooLargeException(long limit) {
        super("larger than " + limit + " bytes", null, false, false);
        this.limit = limit;
    }

    long limit() {
        return limit;
    }
}
