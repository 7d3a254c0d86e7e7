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
    ALERT_REPEATED,
    ALERT_ACKNOWLEDGED,
    ALERT_ESCALATED,
    TASK_MODIFIED,
    TASK_EXPIRED,
    DELIVERY_UNACKNOWLEDGED,
    AUTONOMY_EARNED,
    AUTONOMY_RESET,
    BOUNDS_SIGNED,
    GOAL_SET,
    DEVICE_REGISTERED,
    INTAKE_REPORTED,
    BOUNDS_ACTIVATED,
    RULES_LOADED,
    DECISION_REPLAYED,
    SIGN_IN,
    REGIMEN_SET,
    MODEL_REGISTERED,
    MODEL_ACTIVATED,
    FAIRNESS_REPORTED,
    AUDIT_KEY_PUBLISHED,
    AUDIT_EXPORTED,
    AUDIT_VERIFIED,
    AUDIT_READ,
    MODEL_SHADOWED,
    MODEL_ROLLED_BACK,
    MODEL_DRIFT_ALERT,
    PRESCRIPTION_RECEIVED,
    MODEL_ACTIVATION_REFUSED,
    MODEL_RETRAINED,
    /** An open approval task withdrawn: superseded by a newer decision, or stale after a dose change. */
    TASK_CANCELLED,
    /** Someone was given patient data: a FHIR read or search, or a REST read ({@link PatientDataRead}). */
    PATIENT_DATA_READ,
    /** Sign-ins refused, by the service (a bad token) or by Keycloak (a wrong password), counted ({@link SignInFailures}). */
    SIGN_IN_FAILED,
    /** An EHR's CDS Hooks call answered: the cards and every rule that fired (cds-hooks {@code CdsHookCalled}). */
    CDS_HOOK_CALLED,
    /** An EHR's feedback on a CDS card, kept as clinician feedback (cds-hooks {@code CdsFeedbackReceived}). */
    CDS_FEEDBACK_RECEIVED,
    /**
     * A system client (an EHR, a gateway) refused before any work for want of a SMART system scope:
     * the interaction, the scope it needed and the scopes its token was granted.
     */
    SCOPE_REFUSED,
    /** A patient's responsible clinician changed, by a clinician's hand-over (from, to, reason). */
    CARE_TEAM_CHANGED,
    /** A system's attempt to change a patient's responsible clinician ({@code Patient.generalPractitioner}), refused. */
    CARE_TEAM_CHANGE_REFUSED
}
