package org.clinloop.approval;

/** The actor may not see or do this (HTTP 403). */
public class AccessRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AccessRefusedException(String message) {
        super(message);
    }
}
