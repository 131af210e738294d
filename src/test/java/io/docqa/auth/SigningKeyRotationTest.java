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

    @Test
    void aNewKeySignsAfterTheRotationPeriodAndTheOldOneStillVerifies() throws Exception {
        AuthProperties fastRotation = new AuthProperties(defaults.issuer(), defaults.audience(), defaults.accessTokenTtl(),
                defaults.refreshTokenTtl(), Duration.ofSeconds(1), defaults.maxPasswordLength(), defaults.login());
        SigningKeys before = new SigningKeys(db, tx, fastRotation);
        AccessTokens oldIssuer = new AccessTokens(before, fastRotation);
        String oldToken = oldIssuer.issue(UUID.randomUUID(), TenantId.random(), Role.MEMBER).block();
        String oldKid = before.ring().block().signingKey().getKeyID();

        Thread.sleep(1500);
        SigningKeys after = new SigningKeys(db, tx, fastRotation);
        KeyRing ring = after.ring().block();
        assertThat(ring.signingKey().getKeyID()).isNotEqualTo(oldKid);
        assertThat(ring.has(oldKid)).isTrue();

        new AccessTokens(after, fastRotation).verify(oldToken)
                .as(StepVerifier::create)
                .assertNext(claims -> assertThat(claims.role()).isEqualTo(Role.MEMBER))
                .verifyComplete();
    }

    @Test
    void instancesSharingTheDatabaseAgreeOnTheSigningKey() {
        SigningKeys one = new SigningKeys(db, tx, defaults);
        SigningKeys two = new SigningKeys(db, tx, defaults);
        assertThat(one.ring().block().signingKey().getKeyID()).isEqualTo(two.ring().block().signingKey().getKeyID());
    }
}
