package io.docqa.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Seals private signing keys with AES-256-GCM under the configured key-encryption key (KEK), the key id bound in as
 * associated data so that a sealed key cannot pass for another. A sealed key names its KEK by a fingerprint (the
 * first 8 bytes of the KEK's SHA-256); previous KEKs still open what they sealed, so a rotation can re-seal.
 */
@Component
class KeyEncryption {

    private static final Logger log = LoggerFactory.getLogger(KeyEncryption.class);
    private static final String DEVELOPMENT_MARK = "docqa-DEVELOPMENT";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    KeyEncryption(KeyEncryptionProperties properties) {
        if (properties.key() == null || properties.key().isBlank()) {
            throw new IllegalStateException("No key-encryption key: set DOCQA_AUTH_KEY_ENCRYPTION_KEY to the base64 of 32 random "
                    + "bytes (openssl rand -base64 32), or run with SPRING_PROFILES_ACTIVE=dev to use the public development key");
        }
        byte[] current = decode(properties.key(), "DOCQA_AUTH_KEY_ENCRYPTION_KEY");
        this.currentId = fingerprint(current);
        keys.put(currentId, new SecretKeySpec(current, "AES"));
        for (String previous : properties.previousKeys().stream().filter(key -> !key.isBlank()).toList()) {
            byte[] bytes = decode(previous, "DOCQA_AUTH_KEY_ENCRYPTION_PREVIOUS_KEYS");
            keys.putIfAbsent(fingerprint(bytes), new SecretKeySpec(bytes, "AES"));
        }
        if (new String(current, StandardCharsets.ISO_8859_1).startsWith(DEVELOPMENT_MARK)) {
            log.warn("Signing keys are sealed with the PUBLIC DEVELOPMENT key-encryption key: set DOCQA_AUTH_KEY_ENCRYPTION_KEY "
                    + "to a secret one anywhere but on a developer's machine");
        }
    }

    /** The fingerprint of the KEK that seals. */
    String currentId() {
        return currentId;
    }

    boolean opens(String kekId) {
        return kekId != null && keys.containsKey(kekId);
    }

    /** base64url(nonce || ciphertext || tag), sealed under the current KEK. */
    String seal(String kid, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, keys.get(currentId), nonce, kid, plaintext.getBytes(StandardCharsets.UTF_8), 0);
        byte[] out = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    String open(String kid, String kekId, String sealed) {
        SecretKeySpec key = kekId == null ? null : keys.get(kekId);
        if (key == null) {
            throw new IllegalStateException("The signing key " + kid + " is sealed under an unknown key-encryption key ("
                    + kekId + "): give it in DOCQA_AUTH_KEY_ENCRYPTION_PREVIOUS_KEYS");
        }
        byte[] bytes = Base64.getUrlDecoder().decode(sealed);
        byte[] nonce = java.util.Arrays.copyOf(bytes, NONCE_BYTES);
        return new String(crypt(Cipher.DECRYPT_MODE, key, nonce, kid, bytes, NONCE_BYTES), StandardCharsets.UTF_8);
    }

    private static byte[] crypt(int mode, SecretKeySpec key, byte[] nonce, String kid, byte[] input, int offset) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input, offset, input.length - offset);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("A signing key could not be " + (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened")
                    + " (a wrong key-encryption key, or a changed row)", e);
        }
    }

    private static byte[] decode(String base64, String setting) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        }
        catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " is not base64", e);
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException(setting + " must be the base64 of " + KEY_BYTES + " bytes, not " + bytes.length);
        }
        return bytes;
    }

    private static String fingerprint(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
