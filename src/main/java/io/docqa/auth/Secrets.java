package io.docqa.auth;

/** What the {@code toString} of a record that holds a password, token or key shows instead, so no log line has it. */
final class Secrets {

    static final String HIDDEN = "[hidden]";

    private Secrets() {
    }
}
