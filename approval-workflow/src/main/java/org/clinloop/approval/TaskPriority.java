package org.clinloop.approval;

/** FHIR request priority of a queued task. */
public enum TaskPriority {
    ROUTINE,
    URGENT,
    STAT
}
