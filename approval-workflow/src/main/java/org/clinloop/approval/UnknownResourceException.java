package org.clinloop.approval;

/** No such task, adjustment or patient (HTTP 404). */
public class UnknownResourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownResourceException(String message) {
        super(message);
    }
}
