package io.docqa.auth;

import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import io.docqa.tenant.AuditAction;
import io.docqa.tenant.AuditActor;
import io.docqa.tenant.AuditTarget;
import io.docqa.tenant.AuditTrail;
import io.docqa.tenant.TenantId;
import io.docqa.tenant.Tenants;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

/**
 * What a sign-on that Spring Security accepted (state, nonce, PKCE, issuer, signature checked) comes to: the docqa
 * account linked to the provider's subject, else made just in time in the tenant the provider maps the verified email
 * to (an account an admin already made there with that email is joined, keeping its role), and a one-time code for
 * the page to trade for the same tokens a password login gives.
 */
@Service
class SsoSignIn {

    private final SsoProperties properties;
    private final SsoIdentities identities;
    private final SsoLoginCodes codes;
    private final Users users;
    private final Tenants tenants;
    private final Accounts accounts;
    private final AuditTrail audit;
    private final TransactionalOperator tx;

    SsoSignIn(SsoProperties properties, SsoIdentities identities, SsoLoginCodes codes, Users users, Tenants tenants,
            Accounts accounts, AuditTrail audit, TransactionalOperator tx) {
        this.properties = properties;
        this.identities = identities;
        this.codes = codes;
        this.users = users;
        this.tenants = tenants;
        this.accounts = accounts;
        this.audit = audit;
        this.tx = tx;
    }

    /** The one-time code for the account of {@code person}; an {@link ApiException} when docqa refuses the person. */
    Mono<String> complete(String providerId, OidcUser person) {
        SsoProperties.Provider provider = properties.provider(providerId).orElseThrow();
        return identities.find(providerId, person.getSubject())
                .flatMap(linked -> users.find(linked.tenantId(), linked.userId()))
                .switchIfEmpty(Mono.defer(() -> firstSignIn(providerId, provider, person)
                        .onErrorResume(ApiException.class, e -> refused(providerId, null, e))))
                .flatMap(user -> user.disabled()
                        ? refused(providerId, user.tenantId(), new ApiException(HttpStatus.FORBIDDEN, "sso_account_disabled",
                                "This account is disabled"))
                        : audit.record(user.tenantId(), AuditActor.user(user.id()), AuditAction.SSO_LOGIN_SUCCEEDED,
                                        AuditTarget.of("user", user.id()), Map.of("provider", providerId))
                                .then(codes.issue(user)));
    }

    /** The tokens for a one-time code, once. */
    Mono<AuthViews.Tokens> exchange(String code) {
        return codes.redeem(code)
                .flatMap(linked -> users.find(linked.tenantId(), linked.userId()))
                .filter(user -> !user.disabled())
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.UNAUTHORIZED, "invalid_sso_code",
                        "The sign-in code is invalid, expired or already used")))
                .flatMap(accounts::signedIn);
    }

    /**
     * A sign-on Spring Security refused (state, nonce, issuer, signature, the provider's own error); answers to a
     * provider id that is not configured are anyone's noise and are not recorded.
     */
    Mono<Void> failed(String providerId, String reason) {
        return properties.provider(providerId).isEmpty() ? Mono.empty()
                : audit.recordOutsideTenants(AuditActor.anonymous(), AuditAction.SSO_LOGIN_FAILED, null,
                        Map.of("provider", providerId, "reason", reason));
    }

    private Mono<User> firstSignIn(String providerId, SsoProperties.Provider provider, OidcUser person) {
        if (person.getEmail() == null || !Boolean.TRUE.equals(person.getEmailVerified())) {
            return Mono.error(new ApiException(HttpStatus.FORBIDDEN, "sso_email_unverified",
                    "The identity provider did not vouch for an email address of yours"));
        }
        String email = Accounts.normalise(person.getEmail());
        ApiException unmapped = new ApiException(HttpStatus.FORBIDDEN, "sso_tenant_unmapped",
                "No workspace takes accounts from '" + providerId + "' with this email address; ask your administrator");
        Optional<TenantId> tenant = provider.tenantFor(email);
        if (tenant.isEmpty()) {
            return Mono.error(unmapped);
        }
        return tenants.find(tenant.get())
                .switchIfEmpty(Mono.error(unmapped))
                .then(users.findByEmail(email).map(Optional::of).defaultIfEmpty(Optional.empty()))
                .flatMap(existing -> existing
                        .map(user -> user.tenantId().equals(tenant.get())
                                ? Mono.just(user)
                                : Mono.<User>error(Accounts.emailTaken()))
                        .orElseGet(() -> users.create(tenant.get(), email, null, provider.defaultRole())
                                .flatMap(user -> audit.record(user.tenantId(), AuditActor.user(user.id()), AuditAction.USER_CREATED,
                                        AuditTarget.of("user", user.id()), Map.of("email", email, "role", user.role().json(),
                                                "provider", providerId)).thenReturn(user))))
                .flatMap(user -> identities.link(providerId, person.getSubject(), user.tenantId(), user.id()).thenReturn(user))
                .as(tx::transactional)
                // the same person signing in twice at once: the other sign-in made the account and the link
                .onErrorResume(DataIntegrityViolationException.class, e -> identities.find(providerId, person.getSubject())
                        .flatMap(linked -> users.find(linked.tenantId(), linked.userId()))
                        .switchIfEmpty(Mono.error(Accounts.emailTaken())));
    }

    private <T> Mono<T> refused(String providerId, TenantId tenant, ApiException reason) {
        Map<String, String> details = Map.of("provider", providerId, "reason", reason.code());
        return (tenant == null
                ? audit.recordOutsideTenants(AuditActor.anonymous(), AuditAction.SSO_LOGIN_FAILED, null, details)
                : audit.record(tenant, AuditActor.anonymous(), AuditAction.SSO_LOGIN_FAILED, null, details))
                .then(Mono.error(reason));
    }
}
