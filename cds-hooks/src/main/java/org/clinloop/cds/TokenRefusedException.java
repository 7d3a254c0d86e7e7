package org.clinloop.cds;

import java.util.Objects;

/**
 * A CDS call's JWT was refused (answered 401); the message says what was expected and what was
 * found, the reason is the word counted in {@code SIGN_IN_FAILED} ({@code cds-expired-token}).
 */
public class TokenRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why, in one word recorded with the failed sign-ins. */
    public enum Reason {
        MISSING("missing-token"),
        MALFORMED("malformed-token"),
        UNSIGNED("unsigned-token"),
        ALGORITHM("algorithm-refused"),
        UNKNOWN_ISSUER("unknown-issuer"),
        JKU("jku-refused"),
        KEYS("keys-unavailable"),
        SIGNATURE("unverified-token"),
        AUDIENCE("wrong-audience"),
        EXPIRED("expired-token"),
        CLAIMS("invalid-claims"),
        REPLAYED("replayed-jti");

        private final String word;

        Reason(String word) {
            this.word = word;
        }

        /** {@code cds-expired-token}. */
        public String word() {
            return "cds-" + word;
        }
    }

    private final Reason reason;

    public TokenRefusedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "A reason is required.");
    }

    public Reason reason() {
        return reason;
    }
}
