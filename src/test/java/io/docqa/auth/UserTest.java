package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.docqa.tenant.Role;
import io.docqa.tenant.TenantId;

class UserTest {

    @Test
    void itsTextNeverShowsThePasswordHash() {
        String hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
        User user = new User(UUID.randomUUID(), new TenantId(UUID.randomUUID()), "ann@example.com", hash, Role.ADMIN,
                false, Instant.EPOCH);

        assertThat(user.toString()).doesNotContain(hash).contains("ann@example.com", "ADMIN");
    }
}
