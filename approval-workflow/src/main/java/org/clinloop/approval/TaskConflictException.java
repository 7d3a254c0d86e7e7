package org.clinloop.approval;

/** The task was already decided, or the dose changed since it was proposed (HTTP 409). */
public class TaskConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient ApprovalTask current;

    public TaskConflictException(String message, ApprovalTask current) {
        super(message);
        this.current = current;
    }

    /** The task as it is now. */
    public ApprovalTask current() {
        return current;
    }
}
