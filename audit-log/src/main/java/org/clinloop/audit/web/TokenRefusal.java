package org.clinloop.audit.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;

/**
 * Why the service refused a request's bearer token (401), for the record of failed sign-ins. The
 * container has already refused the token (signature, issuer, audience, expiry); this only names
 * the most likely reason from what the token says about itself, and never trusts or records any
 * of it: a reason is one of five fixed words.
 */
public enum TokenRefusal {
    /** No {@code Authorization: Bearer} header. */
    MISSING("missing-token", "no bearer token"),
    /** Not three base64url parts of JSON. */
    MALFORMED("malformed-token", "a token that is not a JSON Web Token"),
    /** Its {@code exp} has passed. */
    EXPIRED("expired-token", "an expired token"),
    /** Issued by someone other than ClinLoop's realm. */
    OTHER_ISSUER("other-issuer", "a token from another issuer"),
    /** Anything else: a signature, algorithm, key or audience the service does not accept. */
    UNVERIFIED("unverified-token", "a token whose signature, algorithm or audience is not accepted");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String reason;
    private final String found;

    TokenRefusal(String reason, String found) {
        this.reason = reason;
        this.found = found;
    }

    /** The word recorded in {@code SIGN_IN_FAILED} ({@code expired-token}). */
    public String reason() {
        return reason;
    }

    /** What the caller sent, for the 401's OperationOutcome ("an expired token"). */
    public String found() {
        return found;
    }

    /**
     * Classifies a refused request by its {@code Authorization} header.
     *
     * @param authorization  the header, or null
     * @param expectedIssuer the realm's issuer
     * @param now            the time of the refusal
     */
    public static TokenRefusal of(String authorization, String expectedIssuer, Instant now) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            return MISSING;
        }
        String[] parts = authorization.substring(7).trim().split("\\.", -1);
        if (parts.length != 3) {
            return MALFORMED;
        }
        JsonNode payload;
        try {
            JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | IOException e) {
            return MALFORMED;
        }
        if (payload == null || !payload.isObject()) {
            return MALFORMED;
        }
        JsonNode exp = payload.get("exp");
        if (exp != null && exp.canConvertToLong() && Instant.ofEpochSecond(exp.asLong()).isBefore(now)) {
            return EXPIRED;
        }
        JsonNode iss = payload.get("iss");
        if (iss == null || !iss.isTextual() || !iss.asText().equals(expectedIssuer)) {
            return OTHER_ISSUER;
        }
        return UNVERIFIED;
    }
}
