package io.docqa.document;

/** More bytes arrived than the limit allows; raised as soon as the limit is crossed. */
class TooLargeException extends RuntimeException {

    private final long limit;

    TooLargeException(long limit) {
        super("larger than the limit of " + limit + " bytes", null, false, false);
        this.limit = limit;
    }

    long limit() {
        return limit;
    }
}
