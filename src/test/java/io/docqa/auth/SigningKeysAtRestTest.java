package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.reactive.TransactionalOperator;
import io.docqa.support.IntegrationTest;
import reactor.test.StepVerifier;

/**
 * The private signing keys are sealed in PostgreSQL: never in clear, keys from before are sealed at start-up, and a
 * new key-encryption key takes over from the previous one. Each {@link SigningKeys} made here is another instance.
 */
class SigningKeysAtRestTest extends IntegrationTest {

    @Autowired
    TransactionalOperator tx;

    @Autowired
    AuthProperties properties;

    @Autowired
    KeyEncryption encryption;

    @Autowired
    KeyEncryptionProperties configured;

    @Test
    void theDatabaseNeverHoldsAPrivateKeyInClear() throws Exception {
        ECKey legacy = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        db.sql("insert into signing_keys (kid, algorithm, private_jwk) values (:kid, 'ES256', :jwk)")
                .bind("kid", legacy.getKeyID()).bind("jwk", legacy.toJSONString())
                .then().as(StepVerifier::create).verifyComplete();

        KeyRing ring = new SigningKeys(db, tx, encryption, properties).ring().block();

        assertThat(ring.has(legacy.getKeyID())).as("the key stored in clear before is still in use").isTrue();
        List<Map<String, Object>> rows = db.sql("select * from signing_keys").fetch().all().collectList().block();
        assertThat(rows).isNotEmpty();
        for (Map<String, Object> row : rows) {
            assertThat(row.get("kek_id")).isEqualTo(encryption.currentId());
            String stored = row.values().toString();
            assertThat(stored).doesNotContain("\"d\"", legacy.getD().toString());
            for (ECKey key : ring.keys()) {
                assertThat(stored).doesNotContain(key.getD().toString());
            }
        }
    }

    @Test
    void aNewKeyEncryptionKeyResealsEveryKeyAndTheOldOneIsThenNoLongerNeeded() {
        String kid = new SigningKeys(db, tx, encryption, properties).ring().block().signingKey().getKeyID();
        KeyEncryption rotated = new KeyEncryption(new KeyEncryptionProperties(KeyEncryptionTest.key('r'), List.of(configured.key())));
        try {
            assertThat(new SigningKeys(db, tx, rotated, properties).ring().block().has(kid)).isTrue();
            assertThat(kekIds()).containsOnly(rotated.currentId());

            KeyEncryption newOnly = new KeyEncryption(new KeyEncryptionProperties(KeyEncryptionTest.key('r'), List.of()));
            assertThat(new SigningKeys(db, tx, newOnly, properties).ring().block().has(kid)).isTrue();
            assertThatThrownBy(() -> new SigningKeys(db, tx, encryption, properties).ring().block())
                    .as("the old key alone no longer opens them").hasMessageContaining("unknown key-encryption key");
        }
        finally {
            // back under the tests' own key, for the service that the other tests share
            KeyEncryption back = new KeyEncryption(new KeyEncryptionProperties(configured.key(), List.of(KeyEncryptionTest.key('r'))));
            new SigningKeys(db, tx, back, properties).ring().block();
        }
        assertThat(kekIds()).containsOnly(encryption.currentId());
    }

    private List<String> kekIds() {
        return db.sql("select kek_id from signing_keys").map(row -> row.get("kek_id", String.class)).all().collectList().block();
    }
}
