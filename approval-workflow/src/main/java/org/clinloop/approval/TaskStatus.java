package org.clinloop.approval;

/** Lifecycle of an approval task (FHIR Task.status in brackets). */
public enum TaskStatus {
    /** Waiting for a clinician (requested). */
    REQUESTED,
    /** Approved as proposed or modified; a dose adjustment was delivered (completed). */
    APPROVED,
    /** Rejected with a reason; nothing was delivered (rejected). */
    REJECTED,
    /** Nobody decided in time; nothing was delivered (cancelled). */
    EXPIRED
}
