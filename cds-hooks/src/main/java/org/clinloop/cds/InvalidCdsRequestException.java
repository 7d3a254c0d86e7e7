package org.clinloop.cds;

/** A CDS call whose body is not what the hook requires (answered 400, saying what was expected and found). */
public class InvalidCdsRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidCdsRequestException(String message) {
        super(message);
    }
}
