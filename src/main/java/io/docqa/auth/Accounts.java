package io.docqa.auth;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import io.docqa.limits.RateLimiter;
import io.docqa.limits.Rule;
import io.docqa.tenant.AuditAction;
import io.docqa.tenant.AuditActor;
import io.docqa.tenant.AuditTarget;
import io.docqa.tenant.AuditTrail;
import io.docqa.tenant.Role;
import io.docqa.tenant.Tenants;
import io.docqa.web.ApiException;
import reactor.core.publisher.Mono;

/** Sign-up, sign-in and the refresh-token life cycle. */
@Service
class Accounts {

    private final Tenants tenants;
    private final Users users;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final RateLimiter limiter;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final AuditTrail audit;
    private final TransactionalOperator tx;

    Accounts(Tenants tenants, Users users, Passwords passwords, LoginThrottle throttle, RateLimiter limiter,
            AccessTokens accessTokens, RefreshTokens refreshTokens, AuditTrail audit, TransactionalOperator tx) {
        this.tenants = tenants;
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        this.limiter = limiter;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
        this.tx = tx;
    }

    Mono<AuthViews.Tokens> signup(AuthRequests.Signup request) {
        String email = normalise(request.email());
        return limiter.consume(Rule.SIGNUP_PER_ACCOUNT, email)
                .then(passwords.hashNew(request.password()))
                .flatMap(hash -> tx.transactional(tenants.create(request.tenantName().trim())
                        .flatMap(tenant -> users.create(tenant.id(), email, hash, Role.OWNER))))
                .onErrorMap(DataIntegrityViolationException.class, e -> emailTaken())
                .flatMap(owner -> audit.record(owner.tenantId(), AuditActor.user(owner.id()), AuditAction.SIGNUP,
                                AuditTarget.tenant(owner.tenantId()), Map.of("tenant_name", request.tenantName().trim()))
                        .then(tokens(owner, refreshTokens.startFamily(owner.tenantId(), owner.id()))));
    }

    /** {@code client} is the caller's address: failed guesses count per account and client. */
    Mono<AuthViews.Tokens> login(AuthRequests.Login request, String client) {
        String email = normalise(request.email());
        return throttle.admit(email, client)
                .then(users.findByEmail(email).map(Optional::of).defaultIfEmpty(Optional.empty()))
                .flatMap(user -> passwords.matches(request.password(), user.map(User::passwordHash).orElse(null))
                        .flatMap(matches -> matches && !user.get().disabled()
                                ? loggedIn(email, client, user.get())
                                : failed(user)));
    }

    Mono<AuthViews.Tokens> refresh(String token) {
        return refreshTokens.userOf(token)
                .flatMap(userId -> limiter.consume(Rule.REFRESH_PER_ACCOUNT, userId.toString()))
                .then(refreshTokens.spend(token))
                .switchIfEmpty(Mono.defer(() -> refreshTokens.revokeFamilyIfReused(token)
                        .flatMap(holder -> audit.record(holder.tenantId(), AuditActor.anonymous(), AuditAction.REFRESH_REUSED,
                                AuditTarget.of("user", holder.userId()), Map.of("family_id", holder.familyId().toString())))
                        .then(Mono.error(invalidRefreshToken()))))
                .flatMap(holder -> users.find(holder.tenantId(), holder.userId())
                        .filter(user -> !user.disabled())
                        .switchIfEmpty(Mono.error(invalidRefreshToken()))
                        .flatMap(user -> tokens(user, refreshTokens.next(holder))));
    }

    Mono<Void> logout(String token) {
        return refreshTokens.revokeFamily(token)
                .flatMap(holder -> audit.record(holder.tenantId(), AuditActor.user(holder.userId()), AuditAction.LOGOUT,
                        AuditTarget.of("user", holder.userId()), null));
    }

    /** The tokens of a user who signed in another way (single sign-on): the same as a password login gives. */
    Mono<AuthViews.Tokens> signedIn(User user) {
        return tokens(user, refreshTokens.startFamily(user.tenantId(), user.id()));
    }

    private Mono<AuthViews.Tokens> loggedIn(String email, String client, User user) {
        return throttle.succeeded(email, client)
                .then(audit.record(user.tenantId(), AuditActor.user(user.id()), AuditAction.LOGIN_SUCCEEDED,
                        AuditTarget.of("user", user.id()), null))
                .then(tokens(user, refreshTokens.startFamily(user.tenantId(), user.id())));
    }

    /** Recorded for an unknown email too (outside every tenant, without the email), so both cost the same. */
    private Mono<AuthViews.Tokens> failed(Optional<User> user) {
        Mono<Void> audited = user.map(u -> audit.record(u.tenantId(), AuditActor.anonymous(), AuditAction.LOGIN_FAILED,
                        AuditTarget.of("user", u.id()), Map.of("reason", u.disabled() ? "disabled" : "wrong_password")))
                .orElseGet(() -> audit.recordOutsideTenants(AuditActor.anonymous(), AuditAction.LOGIN_FAILED, null,
                        Map.of("reason", "unknown_account")));
        return audited.then(Mono.error(
                new ApiException(HttpStatus.UNAUTHORIZED, "invalid_credentials", "The email or the password is wrong")));
    }

    private Mono<AuthViews.Tokens> tokens(User user, Mono<String> refreshToken) {
        return Mono.zip(tenants.find(user.tenantId()), accessTokens.issue(user.id(), user.tenantId(), user.role()), refreshToken)
                .map(t -> new AuthViews.Tokens(AuthViews.TenantRef.of(t.getT1()), AuthViews.UserRef.of(user), t.getT2(),
                        t.getT3(), "Bearer", accessTokens.ttl().toSeconds()));
    }

    static String normalise(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    static ApiException emailTaken() {
        return ApiException.conflict("email_taken", "An account with this email already exists");
    }

    private static ApiException invalidRefreshToken() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "invalid_refresh_token",
                "The refresh token is invalid, expired or already used");
    }
}
