package org.clinloop.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each check of an EHR's JWT, one refusal at a time, against keys generated here. */
class CdsTokenVerifierTest {

    private static final String ISS = "https://ehr.example.org";
    private static final String AUD = "https://clinloop.example.org/cds-services/clinloop-patient-view";
    private static final URI JWKS = URI.create("https://ehr.example.org/.well-known/jwks.json");
    private static final URI JKU = URI.create("https://keys.ehr.example.org/jwks/rotating.json");
    private static final Instant NOW = Instant.parse("2026-12-08T02:00:00Z");

    private final RSAKey rsa = generateRsa("rsa-1");
    private final ECKey ec = generateEc("ec-1");
    private final RSAKey other = generateRsa("rsa-1");
    private final RSAKey rotated = generateRsa("rsa-2");
    private final Map<URI, JWKSet> published = new HashMap<>(Map.of(
            JWKS, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())),
            JKU, new JWKSet(rotated.toPublicJWK())));
    private final Set<String> seen = new HashSet<>();
    private final List<URI> fetched = new ArrayList<>();
    private final CdsTokenVerifier verifier = new CdsTokenVerifier(
            iss -> ISS.equals(iss) ? Optional.of(new EhrRegistration(ISS, JWKS,
                    List.of(URI.create("https://keys.ehr.example.org/jwks/")), List.of())) : Optional.empty(),
            (url, refresh) -> {
                fetched.add(url);
                JWKSet set = published.get(url);
                if (set == null) {
                    throw new TokenRefusedException(TokenRefusedException.Reason.KEYS, "no key set at " + url);
                }
                return set;
            },
            (iss, jti, exp) -> seen.add(iss + " " + jti),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anRs256AndAnEs256TokenOfTheRegisteredEhrPass() throws Exception {
        CdsCaller caller = verifier.verify("Bearer " + sign(rsa, JWSAlgorithm.RS256, claims().build(), null), AUD);
        assertThat(caller.ehr().issuer()).isEqualTo(ISS);
        assertThat(caller.expiresAt()).isEqualTo(NOW.plusSeconds(240));
        assertThat(caller.actor().roles()).containsExactly("ehr-system");
        assertThat(verifier.verify("Bearer " + sign(ec, JWSAlgorithm.ES256, claims().build(), null), AUD).jti())
                .isNotEqualTo(caller.jti());
    }

    @Test
    void noTokenOrAnotherSchemeIsRefused() {
        assertRefused(null, "found none");
        assertRefused("Basic dXNlcjpwYXNz", "found another scheme");
        assertRefused("Bearer not.a.jwt", "cannot be read");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String token = sign(rsa, JWSAlgorithm.RS256, claims().expirationTime(Date.from(NOW.minusSeconds(60))).build(),
                null);
        assertRefused("Bearer " + token, "expected a JWT that has not expired");
        String forever = sign(rsa, JWSAlgorithm.RS256, claims().expirationTime(Date.from(NOW.plus(Duration.ofHours(2))))
                .build(), null);
        assertRefused("Bearer " + forever, "minutes ahead");
        String noExp = sign(rsa, JWSAlgorithm.RS256, claims().expirationTime(null).build(), null);
        assertRefused("Bearer " + noExp, "expected exp, found none");
    }

    @Test
    void anotherAudienceIsRefusedEvenAPrefixOfTheServiceUrl() throws Exception {
        assertRefused("Bearer " + sign(rsa, JWSAlgorithm.RS256, claims().audience(AUD + "-other").build(), null),
                "expected aud " + AUD);
        assertRefused("Bearer " + sign(rsa, JWSAlgorithm.RS256,
                claims().audience("https://clinloop.example.org/cds-services").build(), null), "expected aud");
    }

    @Test
    void anUnknownIssuerIsRefusedBeforeAnyKeyIsFetched() throws Exception {
        assertRefused("Bearer " + sign(rsa, JWSAlgorithm.RS256, claims().issuer("https://evil.example").build(), null),
                "expected iss of a registered EHR, found https://evil.example");
        assertThat(fetched).isEmpty();
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String none = new PlainJWT(claims().build()).serialize();
        assertRefused("Bearer " + none, "found alg none");
    }

    @Test
    void anHmacTokenIsRefusedWhateverItsSecret() throws Exception {
        SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        hs.sign(new MACSigner(new byte[32]));
        assertRefused("Bearer " + hs.serialize(), "found alg HS256 (symmetric algorithms are refused)");
    }

    @Test
    void aReplayedJtiIsRefusedAfterTheFirstUse() throws Exception {
        String token = sign(rsa, JWSAlgorithm.RS256, claims().jwtID("once").build(), null);
        verifier.verify("Bearer " + token, AUD);
        assertRefused("Bearer " + token, "expected a jti not used before, found once replayed");
        assertRefused("Bearer " + sign(rsa, JWSAlgorithm.RS256, claims().jwtID(null).build(), null), "expected a jti");
    }

    @Test
    void aBadSignatureDoesNotUseUpTheJti() throws Exception {
        assertRefused("Bearer " + sign(other, JWSAlgorithm.RS256, claims().jwtID("j-1").build(), null),
                "does not verify");
        assertThat(seen).isEmpty();
        verifier.verify("Bearer " + sign(rsa, JWSAlgorithm.RS256, claims().jwtID("j-1").build(), null), AUD);
    }

    @Test
    void jkuIsHonouredOnlyOnTheEhrsAllowList() throws Exception {
        assertThat(verifier.verify("Bearer " + sign(rotated, JWSAlgorithm.RS256, claims().build(), JKU), AUD).ehr()
                .issuer()).isEqualTo(ISS);
        assertThat(fetched).containsExactly(JKU);
        URI elsewhere = URI.create("https://attacker.example/jwks.json");
        published.put(elsewhere, new JWKSet(rotated.toPublicJWK()));
        assertRefused("Bearer " + sign(rotated, JWSAlgorithm.RS256, claims().build(), elsewhere),
                "expected jku on the allow-list");
        assertRefused("Bearer " + sign(rotated, JWSAlgorithm.RS256, claims().build(),
                URI.create("https://keys.ehr.example.org/jwks-evil/k.json")), "expected jku on the allow-list");
        assertThat(fetched).containsExactly(JKU);
    }

    @Test
    void anUnknownKeyIdIsRefusedAfterOneRefresh() throws Exception {
        assertRefused("Bearer " + sign(rotated, JWSAlgorithm.RS256, claims().build(), null),
                "expected a key with kid rsa-2");
        assertThat(fetched).containsExactly(JWKS, JWKS);
    }

    @Test
    void allowListsMatchWholePathSegmentsOnTheSameOrigin() {
        URI prefix = URI.create("https://ehr.example.org/fhir");
        assertThat(EhrRegistration.within(URI.create("https://ehr.example.org/fhir"), prefix)).isTrue();
        assertThat(EhrRegistration.within(URI.create("https://ehr.example.org/fhir/r4"), prefix)).isTrue();
        assertThat(EhrRegistration.within(URI.create("https://EHR.example.org:443/fhir/r4"), prefix)).isTrue();
        assertThat(EhrRegistration.within(URI.create("https://ehr.example.org/fhir-evil"), prefix)).isFalse();
        assertThat(EhrRegistration.within(URI.create("https://ehr.example.org/fhir/../admin"), prefix)).isFalse();
        assertThat(EhrRegistration.within(URI.create("https://ehr.example.org/fhir/%2e%2e/admin"), prefix)).isFalse();
        assertThat(EhrRegistration.within(URI.create("http://ehr.example.org/fhir"), prefix)).isFalse();
        assertThat(EhrRegistration.within(URI.create("https://ehr.example.org:8443/fhir"), prefix)).isFalse();
        assertThat(EhrRegistration.within(URI.create("https://user@ehr.example.org/fhir"), prefix)).isFalse();
        assertThat(EhrRegistration.within(URI.create("https://ehr.example.org.evil/fhir"), prefix)).isFalse();
        assertThat(EhrRegistration.within(URI.create("https://ehr.example.org/fhir?x=1"), prefix)).isFalse();
    }

    private void assertRefused(String header, String message) {
        assertThatThrownBy(() -> verifier.verify(header, AUD)).isInstanceOf(TokenRefusedException.class)
                .hasMessageContaining(message);
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISS).audience(AUD).subject("client-1")
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(240)))
                .jwtID(java.util.UUID.randomUUID().toString());
    }

    private static String sign(Object key, JWSAlgorithm alg, JWTClaimsSet claims, URI jku) throws Exception {
        String kid = key instanceof RSAKey r ? r.getKeyID() : ((ECKey) key).getKeyID();
        JWSHeader header = new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).jwkURL(jku).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key));
        return jwt.serialize();
    }

    private static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generateEc(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
