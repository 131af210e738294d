package io.docqa.bench;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A bearer token for the benchmark's account, renewed by logging in again before the service's access tokens expire
 * (15 minutes by default): on a loaded machine uploading the corpus or asking a mode's questions takes longer.
 */
final class FreshToken implements Supplier<String> {

    private static final Duration RENEW_AFTER = Duration.ofMinutes(10);

    private final BenchApi api;
    private final String email;
    private String token;
    private long issued;

    FreshToken(BenchApi api, String email, String token) {
        this.api = api;
        this.email = email;
        this.token = token;
        this.issued = System.nanoTime();
    }

    @Override
    public String get() {
        if (System.nanoTime() - issued > RENEW_AFTER.toNanos()) {
            token = api.login(email);
            issued = System.nanoTime();
        }
        return token;
    }
}
