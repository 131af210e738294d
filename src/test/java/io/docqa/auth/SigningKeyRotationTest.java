package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
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
                defaults.refreshTokenTtl(), Duration.ofHours(1), defaults.maxPasswordLength(),
                defaults.callerCacheTtl(), defaults.callerCacheSize());
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
    void aRotationShorterThanAMinuteIsHonoured() {
        AuthProperties everyTwoSeconds = rotatingEvery(Duration.ofSeconds(2));
        SigningKeys keys = new SigningKeys(db, tx, encryption, everyTwoSeconds);
        String first = keys.ring().block().signingKey().getKeyID();
        // the ring used to be re-read only once a minute, so a 2 s rotation became 60 s
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !first.equals(keys.ring().block().signingKey().getKeyID()));
    }

    @Test
    void aRotationUnderOneSecondIsRefused() {
        assertThatThrownBy(() -> rotatingEvery(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("docqa.auth.key-rotation");
    }

    private AuthProperties rotatingEvery(Duration rotation) {
        return new AuthProperties(defaults.issuer(), defaults.audience(), defaults.accessTokenTtl(), defaults.refreshTokenTtl(),
                rotation, defaults.maxPasswordLength(), defaults.callerCacheTtl(), defaults.callerCacheSize());
    }

    @Test
    void instancesSharingTheDatabaseAgreeOnTheSigningKey() {
        SigningKeys one = new SigningKeys(db, tx, encryption, defaults);
        SigningKeys two = new SigningKeys(db, tx, encryption, defaults);
        assertThat(one.ring().block().signingKey().getKeyID()).isEqualTo(two.ring().block().signingKey().getKeyID());
    }
}
