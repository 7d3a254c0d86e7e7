package org.clinloop.cds;

/** A CDS call's JWT was refused (answered 401); the message says what was expected and what was found. */
public class TokenRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TokenRefusedException(String message) {
        super(message);
    }
}
