package org.clinloop.cds;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks the JWT an EHR signs for each CDS Hooks call, as the specification requires: signed
 * with an asymmetric algorithm (never {@code none}, never HMAC) by a key of the EHR's registered
 * JWKS (or of a {@code jku} on the EHR's allow-list), {@code iss} registered, {@code aud} exactly
 * the service's URL, not expired, and its {@code jti} not used before. Every refusal says what was
 * expected and what was found. The signature is checked before the {@code jti} is recorded, so an
 * unsigned request cannot use up an EHR's ids.
 */
public final class CdsTokenVerifier {

    /** Asymmetric JWS algorithms only. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    /** Clocks of EHR and ClinLoop may differ by this much. */
    static final Duration SKEW = Duration.ofSeconds(30);
    /** The longest lifetime accepted (the specification asks for at most five minutes). */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
    private static final int MAX_TOKEN = 16 * 1024;

    private final Function<String, Optional<EhrRegistration>> registry;
    private final KeySource keys;
    private final JtiLedger ledger;
    private final Clock clock;

    public CdsTokenVerifier(Function<String, Optional<EhrRegistration>> registry, KeySource keys, JtiLedger ledger,
                            Clock clock) {
        this.registry = Objects.requireNonNull(registry, "The EHR registry is required.");
        this.keys = Objects.requireNonNull(keys, "A key source is required.");
        this.ledger = Objects.requireNonNull(ledger, "A JWT id ledger is required.");
        this.clock = Objects.requireNonNull(clock, "A clock is required.");
    }

    /**
     * The verified caller of a call to {@code audience}.
     *
     * @param authorization the request's {@code Authorization} header, or null
     * @param audience      the exact URL of the service called
     * @throws TokenRefusedException naming the first check that failed
     */
    public CdsCaller verify(String authorization, String audience) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new TokenRefusedException(TokenRefusedException.Reason.MISSING, "expected an Authorization: Bearer header with a JWT signed by the EHR, found "
                    + (authorization == null ? "none" : "another scheme"));
        }
        String token = authorization.substring(7).trim();
        if (token.length() > MAX_TOKEN) {
            throw new TokenRefusedException(TokenRefusedException.Reason.MALFORMED, "expected a JWT of at most " + MAX_TOKEN + " characters, found "
                    + token.length());
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new TokenRefusedException(TokenRefusedException.Reason.MALFORMED, "expected a JWT in compact form, found one that cannot be read ("
                    + e.getMessage() + ")");
        }
        if (jwt instanceof PlainJWT) {
            throw new TokenRefusedException(TokenRefusedException.Reason.UNSIGNED, "expected a JWT signed with one of " + names() + ", found alg none (unsigned)");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new TokenRefusedException(TokenRefusedException.Reason.ALGORITHM, "expected a signed JWT (JWS), found an encrypted one");
        }
        JWSHeader header = signed.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            throw new TokenRefusedException(TokenRefusedException.Reason.ALGORITHM, "expected a JWT signed with one of " + names() + ", found alg "
                    + header.getAlgorithm() + (JWSAlgorithm.Family.HMAC_SHA.contains(header.getAlgorithm())
                    ? " (symmetric algorithms are refused)" : ""));
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TokenRefusedException(TokenRefusedException.Reason.MALFORMED, "expected a JSON claims set, found one that cannot be read");
        }
        String issuer = claims.getIssuer();
        if (issuer == null) {
            throw new TokenRefusedException(TokenRefusedException.Reason.UNKNOWN_ISSUER, "expected iss naming a registered EHR, found none");
        }
        EhrRegistration ehr = registry.apply(issuer).orElseThrow(() -> new TokenRefusedException(TokenRefusedException.Reason.UNKNOWN_ISSUER, 
                "expected iss of a registered EHR, found " + clip(issuer)));
        URI keySet = ehr.jwks();
        if (header.getJWKURL() != null) {
            if (!ehr.allowsJku(header.getJWKURL())) {
                throw new TokenRefusedException(TokenRefusedException.Reason.JKU, "expected jku on the allow-list of " + issuer + " " + ehr.jku()
                        + ", found " + clip(header.getJWKURL().toString()));
            }
            keySet = header.getJWKURL();
        }
        verifySignature(signed, header, keySet);

        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(audience)) {
            throw new TokenRefusedException(TokenRefusedException.Reason.AUDIENCE, "expected aud " + audience + ", found " + (aud == null || aud.isEmpty()
                    ? "none" : clip(String.join(", ", aud))));
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null) {
            throw new TokenRefusedException(TokenRefusedException.Reason.CLAIMS, "expected exp, found none");
        }
        Instant exp = claims.getExpirationTime().toInstant();
        if (!now.isBefore(exp.plus(SKEW))) {
            throw new TokenRefusedException(TokenRefusedException.Reason.EXPIRED, "expected a JWT that has not expired, found exp " + exp + " (now " + now + ")");
        }
        if (exp.isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
            throw new TokenRefusedException(TokenRefusedException.Reason.CLAIMS, "expected exp at most " + MAX_LIFETIME.toMinutes() + " minutes ahead, found "
                    + exp);
        }
        if (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now.plus(SKEW))) {
            throw new TokenRefusedException(TokenRefusedException.Reason.CLAIMS, "expected iat not in the future, found " + claims.getIssueTime().toInstant());
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank() || jti.length() > 200) {
            throw new TokenRefusedException(TokenRefusedException.Reason.CLAIMS, "expected a jti of 1 to 200 characters, found "
                    + (jti == null ? "none" : jti.length() + " characters"));
        }
        if (!ledger.firstUse(issuer, jti, exp.plus(SKEW))) {
            throw new TokenRefusedException(TokenRefusedException.Reason.REPLAYED, "expected a jti not used before, found " + clip(jti) + " replayed");
        }
        return new CdsCaller(ehr, jti, exp);
    }

    private void verifySignature(SignedJWT signed, JWSHeader header, URI keySet) {
        List<JWK> candidates = candidates(keys.keys(keySet, false), header);
        if (candidates.isEmpty() && header.getKeyID() != null) {
            candidates = candidates(keys.keys(keySet, true), header);
        }
        if (candidates.isEmpty()) {
            throw new TokenRefusedException(TokenRefusedException.Reason.SIGNATURE, "expected a key " + (header.getKeyID() == null ? "" : "with kid "
                    + clip(header.getKeyID()) + " ") + "for " + header.getAlgorithm() + " in " + keySet + ", found none");
        }
        for (JWK key : candidates) {
            try {
                JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa)
                        : new ECDSAVerifier((ECKey) key);
                if (signed.verify(verifier)) {
                    return;
                }
            } catch (JOSEException | IllegalStateException e) {
                // Not this key: try the next; none → refused below.
            }
        }
        throw new TokenRefusedException(TokenRefusedException.Reason.SIGNATURE, "expected a signature by a key of " + keySet + ", found one that does not verify");
    }

    private static List<JWK> candidates(JWKSet set, JWSHeader header) {
        JWKMatcher matcher = new JWKMatcher.Builder()
                .keyTypes(JWSAlgorithm.Family.RSA.contains(header.getAlgorithm())
                        ? com.nimbusds.jose.jwk.KeyType.RSA : com.nimbusds.jose.jwk.KeyType.EC)
                .keyID(header.getKeyID())
                .keyUses(KeyUse.SIGNATURE, null)
                .algorithms(header.getAlgorithm(), null)
                .build();
        return new JWKSelector(matcher).select(set);
    }

    private static String names() {
        return ALGORITHMS.stream().map(JWSAlgorithm::getName).sorted().toList().toString();
    }

    private static String clip(String s) {
        return s.length() <= 120 ? s : s.substring(0, 119) + "…";
    }
}
