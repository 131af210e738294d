package io.docqa.auth;

import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Argon2id at OWASP's parameters (19 MiB, t=2, p=1), computed on a bounded scheduler of its own: a burst of logins
 * queues there (and is refused past the queue) instead of stalling the event loop.
 */
@Component
class PasswordHasher implements DisposableBean {

    private static final int MEMORY_KIB = 19 * 1024;

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, MEMORY_KIB, 2);
    private final Scheduler scheduler = Schedulers.newBoundedElastic(
            Runtime.getRuntime().availableProcessors(), 256, "password-hash");
    /** Verified against when the email is unknown, so that an unknown email costs the same time as a known one. */
    private final String decoy = encoder.encode("decoy-password-never-matches");

    Mono<String> hash(String password) {
        return onScheduler(() -> encoder.encode(password));
    }

    /** {@code hash} may be null (unknown account): the decoy is verified instead and the answer is false. */
    Mono<Boolean> matches(String password, String hash) {
        return onScheduler(() -> {
            if (hash == null) {
                encoder.matches(password, decoy);
                return false;
            }
            return encoder.matches(password, hash);
        });
    }

    private <T> Mono<T> onScheduler(Callable<T> work) {
        return Mono.fromCallable(work)
                .subscribeOn(scheduler)
                .onErrorMap(RejectedExecutionException.class, e -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                        "busy", "Too many sign-ins at once; try again shortly"));
    }

    @Override
    public void destroy() {
        scheduler.dispose();
    }
}
