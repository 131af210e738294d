package io.docqa.auth;

import org.springframework.stereotype.Component;
import io.docqa.limits.RateLimiter;
import io.docqa.limits.RateLimits;
import io.docqa.limits.Rule;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

/**
 * Counts password guesses (OWASP Authentication cheat sheet): every attempt takes a token from its account's bucket
 * for the client it comes from, and one from the account's bucket for all clients, before the password is checked, so
 * parallel guesses cannot outrun the count, and every instance counts in the same buckets. A stranger who exhausts the
 * first locks the account only for his own address; the second, much larger, slows a guess spread over many addresses.
 * A success fills the account-and-client bucket again and gives its token back to the account's.
 */
@Component
class LoginThrottle {

    private final RateLimiter limiter;

    LoginThrottle(RateLimiter limiter) {
        this.limiter = limiter;
    }

    Mono<Void> admit(String email, String client) {
        String accountAndClient = accountAndClient(email, client);
        return limiter.consume(Rule.LOGIN_PER_ACCOUNT_AND_CLIENT, accountAndClient)
                .then(limiter.consume(Rule.LOGIN_PER_ACCOUNT, email)
                        .onErrorResume(ApiException.class, refused -> limiter.giveBack(Rule.LOGIN_PER_ACCOUNT_AND_CLIENT, accountAndClient)
                                .then(Mono.error(refused))));
    }

    Mono<Void> succeeded(String email, String client) {
        return limiter.reset(Rule.LOGIN_PER_ACCOUNT_AND_CLIENT, accountAndClient(email, client))
                .then(limiter.giveBack(Rule.LOGIN_PER_ACCOUNT, email));
    }

    private static String accountAndClient(String email, String client) {
        return email + "\n" + RateLimits.clientKey(client);
    }
}
