package io.docqa.auth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.docqa.tenant.Role;
import io.docqa.tenant.Tenant;

/** The bodies the account endpoints answer with. */
final class AuthViews {

    private AuthViews() {
    }

    record TenantRef(UUID id, String name) {

        static TenantRef of(Tenant tenant) {
            return new TenantRef(tenant.id().value(), tenant.name());
        }
    }

    record UserRef(UUID id, String email, Role role) {

        static UserRef of(User user) {
            return new UserRef(user.id(), user.email(), user.role());
        }
    }

    record Tokens(TenantRef tenant, UserRef user, String accessToken, String refreshToken, String tokenType,
            long expiresIn) {

        @Override
        public String toString() {
            return "Tokens[tenant=" + tenant + ", user=" + user + ", tokens=" + Secrets.HIDDEN + "]";
        }
    }

    record SsoProvider(String id, String name, String loginUrl) {
    }

    record SsoProviders(List<SsoProvider> providers) {
    }

    record ApiKeyRef(UUID id, Role role) {
    }

    record Me(UserRef user, ApiKeyRef apiKey, TenantRef tenant, List<String> permissions) {
    }

    record UserView(UUID id, String email, Role role, boolean disabled, Instant createdAt) {

        static UserView of(User user) {
            return new UserView(user.id(), user.email(), user.role(), user.disabled(), user.createdAt());
        }
    }

    record ApiKeyView(UUID id, String name, Role role, String prefix, UUID createdBy, Instant createdAt,
            Instant lastUsedAt, Instant expiresAt) {

        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.id(), key.name(), key.role(), key.prefix(), key.createdBy(), key.createdAt(),
                    key.lastUsedAt(), key.expiresAt());
        }
    }

    record CreatedApiKey(UUID id, String name, Role role, String prefix, String key, UUID createdBy, Instant createdAt,
            Instant expiresAt) {

        static CreatedApiKey of(ApiKeys.CreatedKey created) {
            ApiKey key = created.key();
            return new CreatedApiKey(key.id(), key.name(), key.role(), key.prefix(), created.secret(), key.createdBy(),
                    key.createdAt(), key.expiresAt());
        }

        @Override
        public String toString() {
            return "CreatedApiKey[id=" + id + ", name=" + name + ", role=" + role + ", key=" + Secrets.HIDDEN + "]";
        }
    }
}
