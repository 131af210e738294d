package io.docqa.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class KeyEncryptionTest {

    static final String ONE = key('1');
    static final String TWO = key('2');

    static String key(char fill) {
        return Base64.getEncoder().encodeToString(String.valueOf(fill).repeat(32).getBytes());
    }

    @Test
    void sealsUnderTheCurrentKeyAndOpensWithIt() {
        KeyEncryption encryption = new KeyEncryption(new KeyEncryptionProperties(ONE, List.of()));
        String sealed = encryption.seal("kid-1", "{\"d\":\"secret\"}");
        assertThat(sealed).doesNotContain("secret");
        assertThat(encryption.seal("kid-1", "{\"d\":\"secret\"}")).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(encryption.open("kid-1", encryption.currentId(), sealed)).isEqualTo("{\"d\":\"secret\"}");
    }

    @Test
    void aSealedKeyCannotPassForAnotherKid() {
        KeyEncryption encryption = new KeyEncryption(new KeyEncryptionProperties(ONE, List.of()));
        String sealed = encryption.seal("kid-1", "{}");
        assertThatThrownBy(() -> encryption.open("kid-2", encryption.currentId(), sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPreviousKeyStillOpensWhatItSealed() {
        KeyEncryption before = new KeyEncryption(new KeyEncryptionProperties(ONE, List.of()));
        String sealed = before.seal("kid", "{}");
        KeyEncryption after = new KeyEncryption(new KeyEncryptionProperties(TWO, List.of(ONE)));
        assertThat(after.currentId()).isNotEqualTo(before.currentId());
        assertThat(after.opens(before.currentId())).isTrue();
        assertThat(after.open("kid", before.currentId(), sealed)).isEqualTo("{}");
        KeyEncryption stranger = new KeyEncryption(new KeyEncryptionProperties(TWO, List.of()));
        assertThatThrownBy(() -> stranger.open("kid", before.currentId(), sealed))
                .hasMessageContaining("DOCQA_AUTH_KEY_ENCRYPTION_PREVIOUS_KEYS");
    }

    @Test
    void refusesToStartWithoutAKeyOrWithAMalformedOne() {
        assertThatThrownBy(() -> new KeyEncryption(new KeyEncryptionProperties(null, List.of())))
                .hasMessageContaining("DOCQA_AUTH_KEY_ENCRYPTION_KEY").hasMessageContaining("SPRING_PROFILES_ACTIVE=dev");
        assertThatThrownBy(() -> new KeyEncryption(new KeyEncryptionProperties("c2hvcnQ=", List.of())))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new KeyEncryption(new KeyEncryptionProperties(ONE, List.of("not base64!"))))
                .hasMessageContaining("DOCQA_AUTH_KEY_ENCRYPTION_PREVIOUS_KEYS");
    }
}
