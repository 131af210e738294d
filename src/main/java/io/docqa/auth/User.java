package io.docqa.auth;

import java.time.Instant;
import java.util.UUID;

import io.docqa.tenant.Role;
import io.docqa.tenant.TenantId;

record User(UUID id, TenantId tenantId, String email, String passwordHash, Role role, boolean disabled,
        Instant createdAt) {

    @Override
    public String toString() {
        return "User[id=" + id + ", tenantId=" + tenantId + ", email=" + email + ", passwordHash=" + Secrets.HIDDEN
                + ", role=" + role + ", disabled=" + disabled + ", createdAt=" + createdAt + "]";
    }
}
