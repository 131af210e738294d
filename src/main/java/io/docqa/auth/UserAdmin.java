package io.docqa.auth;

import java.util.Map;
import java.util.UUID;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import io.docqa.tenant.AuditAction;
import io.docqa.tenant.AuditActor;
import io.docqa.tenant.AuditTarget;
import io.docqa.tenant.AuditTrail;
import io.docqa.tenant.Caller;
import io.docqa.tenant.Role;
import io.docqa.tenant.Tenants;
import io.docqa.web.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Managing the users of a tenant. Only an owner grants or touches the owner role, and a tenant always keeps one
 * active owner: owner changes are serialised on the tenant's row so two owners cannot demote each other at once.
 */
@Service
class UserAdmin {

    private final Users users;
    private final Tenants tenants;
    private final Passwords passwords;
    private final RefreshTokens refreshTokens;
    private final ApiKeys apiKeys;
    private final AuditTrail audit;
    private final TransactionalOperator tx;

    UserAdmin(Users users, Tenants tenants, Passwords passwords, RefreshTokens refreshTokens, ApiKeys apiKeys,
            AuditTrail audit, TransactionalOperator tx) {
        this.users = users;
        this.apiKeys = apiKeys;
        this.tenants = tenants;
        this.passwords = passwords;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
        this.tx = tx;
    }

    Flux<User> list(Caller caller) {
        return users.list(caller.tenantId());
    }

    Mono<User> create(Caller caller, AuthRequests.NewUser request) {
        Role role = Role.parse(request.role()).orElseThrow();
        if (role == Role.OWNER && caller.role() != Role.OWNER) {
            return Mono.error(ApiException.forbidden("Only an owner can make an owner"));
        }
        return passwords.hashNew(request.password())
                .flatMap(hash -> users.create(caller.tenantId(), Accounts.normalise(request.email()), hash, role))
                .onErrorMap(DataIntegrityViolationException.class, e -> Accounts.emailTaken())
                .flatMap(user -> audit.record(caller.tenantId(), AuditActor.of(caller), AuditAction.USER_CREATED,
                        AuditTarget.of("user", user.id()), Map.of("email", user.email(), "role", role.json())).thenReturn(user));
    }

    Mono<User> update(Caller caller, UUID id, AuthRequests.UserChange change) {
        Role newRole = change.role() == null ? null : Role.parse(change.role()).orElseThrow();
        return tx.transactional(tenants.lock(caller.tenantId())
                .then(target(caller, id))
                .flatMap(user -> {
                    Role role = newRole == null ? user.role() : newRole;
                    boolean disabled = change.disabled() == null ? user.disabled() : change.disabled();
                    if (role == Role.OWNER && user.role() != Role.OWNER && caller.role() != Role.OWNER) {
                        return Mono.error(ApiException.forbidden("Only an owner can make an owner"));
                    }
                    boolean losesOwner = user.role() == Role.OWNER && !user.disabled() && (role != Role.OWNER || disabled);
                    return (losesOwner ? keepsAnOwner(caller, user) : Mono.<Void>empty())
                            .then(users.update(caller.tenantId(), id, role, disabled))
                            .flatMap(updated -> audited(caller, user, updated));
                }));
    }

    Mono<Void> delete(Caller caller, UUID id) {
        return tx.transactional(tenants.lock(caller.tenantId())
                .then(target(caller, id))
                .flatMap(user -> (user.role() == Role.OWNER && !user.disabled() ? keepsAnOwner(caller, user) : Mono.<Void>empty())
                        .then(audit.record(caller.tenantId(), AuditActor.of(caller), AuditAction.USER_DELETED,
                                AuditTarget.of("user", id), Map.of("email", user.email(), "role", user.role().json())))
                        .then(apiKeys.revokeMadeBy(caller.tenantId(), id))
                        .then(users.delete(caller.tenantId(), id))
                        .then()));
    }

    /** The user of the caller's tenant; an owner can be changed by an owner only. */
    private Mono<User> target(Caller caller, UUID id) {
        return users.find(caller.tenantId(), id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("User")))
                .flatMap(user -> user.role() == Role.OWNER && caller.role() != Role.OWNER
                        ? Mono.error(ApiException.forbidden("Only an owner can change an owner"))
                        : Mono.just(user));
    }

    private Mono<Void> keepsAnOwner(Caller caller, User user) {
        return users.countOtherActiveOwners(caller.tenantId(), user.id())
                .flatMap(others -> others > 0 ? Mono.<Void>empty() : Mono.error(ApiException.conflict("last_owner",
                        "A tenant must keep at least one active owner")));
    }

    private Mono<User> audited(Caller caller, User before, User after) {
        Mono<Void> events = Mono.empty();
        if (before.role() != after.role()) {
            events = events.then(audit.record(caller.tenantId(), AuditActor.of(caller), AuditAction.ROLE_CHANGED,
                    AuditTarget.of("user", after.id()), Map.of("from", before.role().json(), "to", after.role().json())));
        }
        if (before.disabled() != after.disabled()) {
            events = events.then(audit.record(caller.tenantId(), AuditActor.of(caller),
                    after.disabled() ? AuditAction.USER_DISABLED : AuditAction.USER_ENABLED, AuditTarget.of("user", after.id()), null));
        }
        if (after.disabled()) {
            events = events.then(refreshTokens.revokeAllOf(caller.tenantId(), after.id()));
        }
        return events.thenReturn(after);
    }
}
