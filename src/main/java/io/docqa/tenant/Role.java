package io.docqa.tenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** Roles from most to least powerful; each role can do everything the roles below it can. */
public enum Role {

    OWNER("tenant:delete"),
    ADMIN("users:manage", "api_keys:manage", Role.USAGE_READ, "audit:read", "conversations:read_all", "model:configure"),
    MEMBER("documents:write"),
    VIEWER("documents:read", "chat");

    /** Reading the tenant's usage ({@code GET /api/v1/usage}). */
    public static final String USAGE_READ = "usage:read";

    private final List<String> ownPermissions;

    Role(String... ownPermissions) {
        this.ownPermissions = List.of(ownPermissions);
    }

    public static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.json().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isAtLeast(Role other) {
        return ordinal() <= other.ordinal();
    }

    /** This role's permissions, including those of every role below it. */
    public List<String> permissions() {
        List<String> all = new ArrayList<>();
        for (int i = values().length - 1; i >= ordinal(); i--) {
            all.addAll(values()[i].ownPermissions);
        }
        return all;
    }

    /** Spring Security authorities: {@code ROLE_X} for this role and every role it includes. */
    public List<String> authorities() {
        List<String> all = new ArrayList<>();
        for (int i = ordinal(); i < values().length; i++) {
            all.add("ROLE_" + values()[i].name());
        }
        return all;
    }
}
