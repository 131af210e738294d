package io.docqa.auth;

import java.util.List;
import java.util.Optional;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

/** The signing keys in force: the newest signs, all of them verify (older ones until their tokens expire). */
record KeyRing(List<ECKey> keys) {

    KeyRing {
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a key ring needs a key");
        }
    }

    ECKey signingKey() {
        return keys.get(0);
    }

    boolean has(String kid) {
        return find(kid).isPresent();
    }

    Optional<ECKey> find(String kid) {
        return keys.stream().filter(key -> key.getKeyID().equals(kid)).findFirst();
    }

    JWKSet publicKeys() {
        return new JWKSet(keys.stream().map(JWK::toPublicJWK).toList());
    }
}
