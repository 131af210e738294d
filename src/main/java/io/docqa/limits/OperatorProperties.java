package io.docqa.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import io.docqa.web.TokenGuardedPaths;

/**
 * The operator's bearer token for {@code /operator/**} (quota overrides). Unset: those paths answer 404, as if they did
 * not exist. Compared in constant time; never logged.
 */
@ConfigurationProperties("docqa.operator")
record OperatorProperties(String token) {

    boolean enabled() {
        return token != null && !token.isBlank();
    }

    boolean accepts(String presented) {
        return TokenGuardedPaths.matches(token, presented);
    }

    @Override
    public String toString() {
        return "OperatorProperties[token=" + (enabled() ? "[hidden]" : "unset") + "]";
    }
}
