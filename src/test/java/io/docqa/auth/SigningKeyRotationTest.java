package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.reactive.TransactionalOperator;
import io.docqa.support.IntegrationTest;
import io.docqa.tenant.Role;
import io.docqa.tenant.TenantId;
import reactor.test.StepVerifier;

/**
 * Keys rotate once the newest is older than the rotation period; tokens of the previous key stay valid.
 * Each {@link SigningKeys} made here stands for another instance of the service sharing the database.
 */
class SigningKeyRotationTest extends IntegrationTest {

    @Autowired
    TransactionalOperator tx;

    @Autowired
    AuthProperties defaults;

    @Autowired
    KeyEncryption encryption;

    @Test
    void aNewKeySignsAfterTheRotationPeriodAndTheOldOneStillVerifies() {
        AuthProperties hourly = new AuthProperties(defaults.issuer(), defaults.audience(), defaults.accessTokenTtl(),
                defaults.refreshTokenTtl(), Duration.ofHours(1), defaults.maxPasswordLength(), defaults.login());
        SigningKeys before = new SigningKeys(db, tx, encryption, hourly);
        AccessTokens oldIssuer = new AccessTokens(before, hourly);
        String oldToken = oldIssuer.issue(UUID.randomUUID(), TenantId.random(), Role.MEMBER).block();
        String oldKid = before.ring().block().signingKey().getKeyID();

        // the rotation period passes: no key is younger than 61 minutes (the old one stays within retention, 1 h + token TTL)
        ageKeys(Duration.ofMinutes(61));
        SigningKeys after = new SigningKeys(db, tx, encryption, hourly);
        KeyRing ring = after.ring().block();
        assertThat(ring.signingKey().getKeyID()).isNotEqualTo(oldKid);
        assertThat(ring.has(oldKid)).isTrue();

        new AccessTokens(after, hourly).verify(oldToken)
                .as(StepVerifier::create)
                .assertNext(claims -> assertThat(claims.role()).isEqualTo(Role.MEMBER))
                .verifyComplete();
    }

    private void ageKeys(Duration age) {
        db.sql("update signing_keys set created_at = least(created_at, now() - make_interval(secs => :age))")
                .bind("age", (double) age.toSeconds())
                .fetch().rowsUpdated()
                .as(StepVerifier::create).assertNext(rows -> assertThat(rows).isPositive()).verifyComplete();
    }

    @Test
    void instancesSharingTheDatabaseAgreeOnTheSigningKey() {
        SigningKeys one = new SigningKeys(db, tx, encryption, defaults);
        SigningKeys two = new SigningKeys(db, tx, encryption, defaults);
        assertThat(one.ring().block().signingKey().getKeyID()).isEqualTo(two.ring().block().signingKey().getKeyID());
    }
}
