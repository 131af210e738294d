package io.docqa.auth;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** The unauthenticated bearer credential read from the {@code Authorization} header. */
class BearerToken extends AbstractAuthenticationToken {

    private final String token;

    BearerToken(String token) {
        super(AuthorityUtils.NO_AUTHORITIES);
        this.token = token;
    }

    String token() {
        return token;
    }

    boolean isApiKey() {
        return token.startsWith(ApiKeys.PREFIX);
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return "bearer";
    }
}
