package org.clinloop.approval;

/**
 * No such task, adjustment or patient (HTTP 404). Also the answer about a record found by its id
 * that the caller may not read ({@link #unlessReadable}): a 403 there would tell whoever guesses ids
 * that the record exists.
 */
public class UnknownResourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String refusedPatient;

    public UnknownResourceException(String message) {
        this(message, null);
    }

    private UnknownResourceException(String message, String refusedPatient) {
        super(message);
        this.refusedPatient = refusedPatient;
    }

    /**
     * Runs the access check on a record of {@code patientId} found by id; a refusal is answered
     * exactly as a missing record would be, with {@code notFound}. The exception still knows whose
     * record it was, so that the read is audited as refused; nothing of it reaches the caller.
     */
    public static void unlessReadable(String patientId, Runnable accessCheck, String notFound) {
        try {
            accessCheck.run();
        } catch (AccessRefusedException refused) {
            throw new UnknownResourceException(notFound, patientId);
        }
    }

    /** The patient whose record the caller may not read, when this 404 hides a refusal; else empty. */
    public java.util.Optional<String> refusedPatient() {
        return java.util.Optional.ofNullable(refusedPatient);
    }
}
