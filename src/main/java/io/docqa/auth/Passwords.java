package io.docqa.auth;

import java.nio.charset.StandardCharsets;

import org.springframework.stereotype.Component;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

/** The password policy (8 characters up to a configured bound) in front of the hasher. */
@Component
class Passwords {

    private final PasswordHasher hasher;
    private final int maxLength;

    Passwords(PasswordHasher hasher, AuthProperties properties) {
        this.hasher = hasher;
        this.maxLength = properties.maxPasswordLength();
    }

    Mono<String> hashNew(String password) {
        if (password.getBytes(StandardCharsets.UTF_8).length > maxLength) {
            return Mono.error(ApiException.invalid("password", "must be at most " + maxLength + " bytes"));
        }
        return hasher.hash(password);
    }

    /** Over-long passwords never match and are not hashed, so they cannot be used to burn CPU. */
    Mono<Boolean> matches(String password, String hash) {
        if (password.getBytes(StandardCharsets.UTF_8).length > maxLength) {
            return hasher.matches("", null);
        }
        return hasher.matches(password, hash);
    }
}
