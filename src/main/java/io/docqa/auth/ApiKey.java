package io.docqa.auth;

import java.time.Instant;
import java.util.UUID;

import io.docqa.tenant.Role;

/** An API key as listed: never its secret. */
record ApiKey(UUID id, String name, Role role, String prefix, Instant createdAt, Instant lastUsedAt) {
}
