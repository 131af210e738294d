package io.docqa.auth;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.stereotype.Component;
import io.docqa.tenant.Role;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/**
 * Makes and checks access tokens: ES256 JWTs of type {@code at+jwt}. Verification pins the algorithm and the type
 * and requires {@code exp}, the issuer, the audience and every claim the service reads.
 */
@Component
class AccessTokens {

    static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
    private static final Set<String> REQUIRED = Set.of("sub", "tid", "role", "iat", "exp", "jti");
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration ttl;

    AccessTokens(SigningKeys keys, AuthProperties properties) {
        this.keys = keys;
        this.issuer = properties.issuer();
        this.audience = properties.audience();
        this.ttl = properties.accessTokenTtl();
    }

    Duration ttl() {
        return ttl;
    }

    Mono<String> issue(UUID userId, TenantId tenant, Role role) {
        return keys.ring().map(ring -> {
            Instant now = Instant.now();
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(issuer)
                    .audience(audience)
                    .subject(userId.toString())
                    .claim("tid", tenant.toString())
                    .claim("role", role.json())
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(ttl)))
                    .jwtID(UUID.randomUUID().toString())
                    .build();
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .type(TYPE)
                    .keyID(ring.signingKey().getKeyID())
                    .build();
            SignedJWT jwt = new SignedJWT(header, claims);
            try {
                jwt.sign(new ECDSASigner(ring.signingKey()));
            }
            catch (JOSEException e) {
                throw new IllegalStateException("cannot sign an access token", e);
            }
            return jwt.serialize();
        });
    }

    /** The verified claims, or empty when the token is not a valid access token of this service. */
    Mono<AccessClaims> verify(String token) {
        String kid;
        try {
            var parsed = JWTParser.parse(token);
            if (!(parsed instanceof SignedJWT signed) || signed.getHeader().getKeyID() == null) {
                return Mono.empty();
            }
            kid = signed.getHeader().getKeyID();
        }
        catch (ParseException e) {
            return Mono.empty();
        }
        return keys.ringWith(kid).flatMap(ring -> Mono.justOrEmpty(process(token, ring)));
    }

    private AccessClaims process(String token, KeyRing ring) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TYPE));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                new ImmutableJWKSet<>(ring.publicKeys())));
        DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), REQUIRED);
        claimsVerifier.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claimsVerifier);
        try {
            JWTClaimsSet claims = processor.process(token, null);
            if (!issuedPlausibly(claims)) {
                return null;
            }
            Role role = Role.parse(claims.getStringClaim("role")).orElse(null);
            if (role == null) {
                return null;
            }
            return new AccessClaims(UUID.fromString(claims.getSubject()),
                    new TenantId(UUID.fromString(claims.getStringClaim("tid"))), role, claims.getExpirationTime().toInstant());
        }
        catch (ParseException | BadJOSEException | JOSEException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Not issued in the future, and not living longer than this service issues tokens for. */
    private boolean issuedPlausibly(JWTClaimsSet claims) {
        Instant issued = claims.getIssueTime().toInstant();
        Instant expires = claims.getExpirationTime().toInstant();
        return !issued.isAfter(Instant.now().plus(CLOCK_SKEW))
                && !expires.isAfter(issued.plus(ttl).plus(CLOCK_SKEW));
    }

    record AccessClaims(UUID userId, TenantId tenantId, Role role, Instant expiresAt) {
    }
}
