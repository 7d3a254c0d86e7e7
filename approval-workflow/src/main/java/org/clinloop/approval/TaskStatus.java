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
    EXPIRED,
    /**
     * Withdrawn before anyone decided; nothing was delivered (cancelled). The reason code says
     * why: {@code superseded} by a newer decision about the patient (the successor task, if the
     * newer decision queued one, is named), or {@code stale} because the dose it was proposed from
     * is no longer the patient's dose.
     */
    CANCELLED
}
