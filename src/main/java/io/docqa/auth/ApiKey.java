package io.docqa.auth;

import java.time.Instant;
import java.util.UUID;

import io.docqa.tenant.Role;

/** An API key as listed: never its secret. {@code createdBy} is the user whose current role caps the key. */
record ApiKey(UUID id, String name, Role role, String prefix, UUID createdBy, Instant createdAt, Instant lastUsedAt,
        Instant expiresAt) {
}
