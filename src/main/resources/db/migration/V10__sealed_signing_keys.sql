-- Private signing keys are sealed (AES-256-GCM, see KeyEncryption) under a key-encryption key from the configuration,
-- named here by its fingerprint. A row without one still holds a clear JWK from before: the service seals it at start-up.
alter table signing_keys add column kek_id text;
