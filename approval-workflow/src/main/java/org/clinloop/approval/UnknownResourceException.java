package org.clinloop.approval;

/**
 * No such task, adjustment or patient (HTTP 404). Also the answer about a record found by its id
 * that the caller may not read ({@link #unlessReadable}): a 403 there would tell whoever guesses ids
 * that the record exists.
 */
public class UnknownResourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownResourceException(String message) {
        super(message);
    }

    /**
     * Runs the access check on a record found by id; a refusal is answered exactly as a missing
     * record would be, with {@code notFound}.
     */
    public static void unlessReadable(Runnable accessCheck, String notFound) {
        try {
            accessCheck.run();
        } catch (AccessRefusedException refused) {
            throw new UnknownResourceException(notFound);
        }
    }
}
