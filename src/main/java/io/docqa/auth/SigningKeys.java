package io.docqa.auth;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The ES256 signing keys, shared by every instance through PostgreSQL. The first instance to find no key (or only
 * one older than the rotation period) makes a new one under an advisory lock; the others load it. Keys stay
 * in the ring for one rotation period plus the access-token lifetime, so tokens they signed stay valid until expiry.
 * Private keys are stored sealed by {@link KeyEncryption}; a key found sealed under a previous key-encryption key (or
 * in clear, from before) is sealed again under the current one, under the same lock.
 */
@Component
class SigningKeys {

    private static final long LOCK_ID = 0x646f637161L;
    private static final Duration RELOAD_EVERY = Duration.ofMinutes(1);
    private static final Duration MIN_FORCED_RELOAD_GAP = Duration.ofSeconds(10);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final KeyEncryption encryption;
    private final Duration rotation;
    private final Duration retention;
    private final Duration reloadEvery;
    private final AtomicReference<Mono<KeyRing>> ring = new AtomicReference<>();
    private volatile Instant lastForcedReload = Instant.EPOCH;

    SigningKeys(DatabaseClient db, TransactionalOperator tx, KeyEncryption encryption, AuthProperties properties) {
        this.db = db;
        this.tx = tx;
        this.encryption = encryption;
        this.rotation = properties.keyRotation();
        this.retention = properties.keyRotation().plus(properties.accessTokenTtl()).plusMinutes(5);
        // a rotation shorter than the reload interval is honoured: the ring is read again as often as keys change
        this.reloadEvery = rotation.compareTo(RELOAD_EVERY) < 0 ? rotation : RELOAD_EVERY;
        this.ring.set(loading());
    }

    Mono<KeyRing> ring() {
        return ring.get();
    }

    /** Reloads when a token names a key this instance has not seen (another instance may have rotated). */
    Mono<KeyRing> ringWith(String kid) {
        return ring().flatMap(current -> {
            if (current.has(kid) || Duration.between(lastForcedReload, Instant.now()).compareTo(MIN_FORCED_RELOAD_GAP) < 0) {
                return Mono.just(current);
            }
            lastForcedReload = Instant.now();
            Mono<KeyRing> fresh = loading();
            ring.set(fresh);
            return fresh;
        });
    }

    private Mono<KeyRing> loading() {
        return loadOrRotate().cache(loaded -> reloadEvery, error -> Duration.ZERO, () -> Duration.ZERO);
    }

    private Mono<KeyRing> loadOrRotate() {
        Mono<KeyRing> work = db.sql("select pg_advisory_xact_lock(:id)").bind("id", LOCK_ID).then()
                .then(resealStaleKeys())
                .then(load())
                .flatMap(keys -> needsNewKey(keys) ? insertNewKey().map(key -> prepend(key, keys)) : Mono.just(keys))
                .map(keys -> new KeyRing(keys.stream().map(StoredKey::key).toList()));
        return tx.transactional(work);
    }

    private boolean needsNewKey(List<StoredKey> keys) {
        return keys.isEmpty() || keys.get(0).createdAt().isBefore(Instant.now().minus(rotation));
    }

    private Mono<List<StoredKey>> load() {
        return db.sql("""
                        select kid, private_jwk, kek_id, created_at from signing_keys
                        where created_at > now() - make_interval(secs => :retention)
                        order by created_at desc
                        """)
                .bind("retention", (double) retention.toSeconds())
                .map(row -> new StoredKey(parse(encryption.open(row.get("kid", String.class), row.get("kek_id", String.class),
                        row.get("private_jwk", String.class))), row.get("created_at", OffsetDateTime.class).toInstant()))
                .all()
                .collectList();
    }

    /** Every key not sealed under the current key-encryption key (retired keys too): sealed again, or clear ones sealed. */
    private Mono<Void> resealStaleKeys() {
        return db.sql("select kid, private_jwk, kek_id from signing_keys where kek_id is distinct from :current")
                .bind("current", encryption.currentId())
                .map(row -> {
                    String kid = row.get("kid", String.class);
                    String stored = row.get("private_jwk", String.class);
                    String kekId = row.get("kek_id", String.class);
                    return new StaleKey(kid, kekId == null ? stored : encryption.open(kid, kekId, stored));
                })
                .all()
                .collectList()
                .flatMapMany(reactor.core.publisher.Flux::fromIterable)
                .concatMap(stale -> db.sql("update signing_keys set private_jwk = :sealed, kek_id = :kek where kid = :kid")
                        .bind("sealed", encryption.seal(stale.kid(), stale.jwk()))
                        .bind("kek", encryption.currentId())
                        .bind("kid", stale.kid())
                        .then())
                .then();
    }

    private Mono<StoredKey> insertNewKey() {
        ECKey key = generate();
        return db.sql("insert into signing_keys (kid, algorithm, private_jwk, kek_id) values (:kid, 'ES256', :jwk, :kek) returning created_at")
                .bind("kid", key.getKeyID())
                .bind("jwk", encryption.seal(key.getKeyID(), key.toJSONString()))
                .bind("kek", encryption.currentId())
                .map(row -> new StoredKey(key, row.get("created_at", OffsetDateTime.class).toInstant()))
                .one();
    }

    private static List<StoredKey> prepend(StoredKey key, List<StoredKey> keys) {
        List<StoredKey> all = new ArrayList<>(keys.size() + 1);
        all.add(key);
        all.addAll(keys);
        return all;
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .generate();
        }
        catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    private static ECKey parse(String json) {
        try {
            return ECKey.parse(json);
        }
        catch (ParseException e) {
            throw new IllegalStateException("a stored signing key is unreadable", e);
        }
    }

    private record StoredKey(ECKey key, Instant createdAt) {
    }

    private record StaleKey(String kid, String jwk) {
    }
}
