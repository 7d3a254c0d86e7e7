package org.clinloop.audit;

/** What happened. Names are part of the canonical encoding: never rename, only add. */
public enum AuditEventType {
    OBSERVATION_ACCEPTED,
    OBSERVATION_REJECTED,
    PATIENT_REGISTERED,
    PROPOSAL_MADE,
    PROPOSAL_SKIPPED,
    TIER_DECIDED,
    TASK_QUEUED,
    TASK_APPROVED,
    TASK_REJECTED,
    ADJUSTMENT_DELIVERED,
    ADJUSTMENT_ACKNOWLEDGED,
    ALERT_RAISED,
    BOUNDS_ACTIVATED,
    REGIMEN_SET,
    MODEL_REGISTERED,
    MODEL_ACTIVATED,
    AUDIT_VERIFIED,
    AUDIT_READ
}
