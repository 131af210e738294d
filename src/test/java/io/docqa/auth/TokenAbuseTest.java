package io.docqa.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;

/** Every way a bearer token can be wrong answers 401 with {@code WWW-Authenticate: Bearer}. */
class TokenAbuseTest extends IntegrationTest {

    @Autowired
    KeyEncryption encryption;

    private Account account;
    private ECKey signingKey;

    @BeforeEach
    void setUp() throws Exception {
        account = api.signup("Tokens");
        String kid = SignedJWT.parse(account.accessToken()).getHeader().getKeyID();
        String jwk = db.sql("select private_jwk, kek_id from signing_keys where kid = :kid").bind("kid", kid)
                .map(row -> encryption.open(kid, row.get("kek_id", String.class), row.get("private_jwk", String.class))).one().block();
        signingKey = ECKey.parse(jwk);
    }

    @Test
    void aValidTokenIsAccepted() throws Exception {
        expectMe(sign(signingKey, claims(c -> { })), 200);
    }

    @Test
    void missingTokenIsRejected() {
        http.get().uri("/api/v1/me").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectBody().jsonPath("$.code").isEqualTo("unauthorized");
    }

    @Test
    void tamperedTokenIsRejected() {
        String[] parts = account.accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"owner\"", "\"admin\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
        expectMe(forged, 401);
        expectMe(account.accessToken().substring(0, account.accessToken().length() - 4) + "AAAA", 401);
    }

    @Test
    void expiredTokenIsRejected() throws Exception {
        expectMe(sign(signingKey, claims(c -> c.issueTime(Date.from(Instant.now().minusSeconds(3600)))
                .expirationTime(Date.from(Instant.now().minusSeconds(120))))), 401);
    }

    @Test
    void tokenIssuedInTheFutureIsRejected() throws Exception {
        expectMe(sign(signingKey, claims(c -> c.issueTime(Date.from(Instant.now().plusSeconds(120)))
                .expirationTime(Date.from(Instant.now().plusSeconds(600))))), 401);
        expectMe(sign(signingKey, claims(c -> c.issueTime(Date.from(Instant.now().plusSeconds(10))))), 200);
    }

    @Test
    void tokenLivingLongerThanTheConfiguredLifetimeIsRejected() throws Exception {
        expectMe(sign(signingKey, claims(c -> c.expirationTime(Date.from(Instant.now().plus(Duration.ofDays(3650)))))), 401);
        expectMe(sign(signingKey, claims(c -> c.expirationTime(Date.from(Instant.now().plusSeconds(15 * 60 + 60))))), 401);
        expectMe(sign(signingKey, claims(c -> c.expirationTime(Date.from(Instant.now().plusSeconds(15 * 60))))), 200);
    }

    @Test
    void tokenWithoutExpiryIsRejected() throws Exception {
        expectMe(sign(signingKey, claims(c -> c.expirationTime(null))), 401);
    }

    @Test
    void unsignedAlgNoneTokenIsRejected() {
        String unsigned = new PlainJWT(claims(c -> { })).serialize();
        expectMe(unsigned, 401);
        String withKid = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + signingKey.getKeyID() + "\"}").getBytes())
                + "." + unsigned.split("\\.")[1] + ".";
        expectMe(withKid, 401);
    }

    @Test
    void hmacTokenKeyedWithThePublicKeyIsRejected() throws Exception {
        byte[] secret = signingKey.toPublicJWK().toJSONString().repeat(2).getBytes();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(AccessTokens.TYPE)
                .keyID(signingKey.getKeyID()).build(), claims(c -> { }));
        jwt.sign(new MACSigner(secret));
        expectMe(jwt.serialize(), 401);
    }

    @Test
    void wrongAudienceOrIssuerIsRejected() throws Exception {
        expectMe(sign(signingKey, claims(c -> c.audience("another-api"))), 401);
        expectMe(sign(signingKey, claims(c -> c.issuer("someone-else"))), 401);
    }

    @Test
    void wrongTokenTypeIsRejected() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(signingKey.getKeyID()).build(), claims(c -> { }));
        jwt.sign(new ECDSASigner(signingKey));
        expectMe(jwt.serialize(), 401);
    }

    @Test
    void tokenSignedByAnUnknownKeyIsRejected() throws Exception {
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(signingKey.getKeyID()).generate();
        expectMe(sign(stranger, claims(c -> { })), 401);
    }

    @Test
    void refreshTokenCannotBeUsedAsAccessToken() {
        expectMe(account.refreshToken(), 401);
    }

    @Test
    void tokenNamingAnotherTenantForTheUserIsRejected() throws Exception {
        expectMe(sign(signingKey, claims(c -> c.claim("tid", UUID.randomUUID().toString()))), 401);
    }

    @Test
    void garbageIsRejected() {
        expectMe("not-a-jwt", 401);
        expectMe("a.b.c", 401);
    }

    private JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer("docqa")
                .audience("docqa-api")
                .subject(account.userId().toString())
                .claim("tid", account.tenantId().toString())
                .claim("role", "owner")
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
        change.accept(builder);
        return builder.build();
    }

    private static String sign(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(AccessTokens.TYPE)
                .keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private void expectMe(String token, int status) {
        var response = http.get().uri("/api/v1/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isEqualTo(status);
        if (status == 401) {
            response.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                    .expectBody().jsonPath("$.code").isEqualTo("invalid_token");
        }
    }
}
