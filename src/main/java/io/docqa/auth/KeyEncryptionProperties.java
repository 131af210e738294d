package io.docqa.auth;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The key-encryption keys (base64 of 32 random bytes) that seal the private signing keys in PostgreSQL: {@code key}
 * seals, {@code previousKeys} are still accepted for opening while a rotation is under way.
 */
@ConfigurationProperties("docqa.auth.key-encryption")
record KeyEncryptionProperties(String key, @DefaultValue List<String> previousKeys) {
}
