package org.clinloop.approval;

import java.time.Instant;
import org.clinloop.audit.PatientData;

/**
 * A raised alert (FHIR DetectedIssue).
 *
 * @param id                 alert id
 * @param patientId          the patient
 * @param proposalId         the proposal it concerns, or null
 * @param triggerObservation the Observation that raised it
 * @param code               e.g. hypertensive-crisis
 * @param severity           high or moderate
 * @param detail             what was found
 * @param createdAt          when it was first raised
 * @param status             OPEN, ACKNOWLEDGED
 * @param occurrences        how many times it was raised within the merge window (repeats are merged)
 * @param lastSeen           when it was last raised
 * @param acknowledgedBy     the clinician who acknowledged it, or null
 * @param acknowledgedAt     when, or null
 * @param escalatedAt        when it was escalated for not being acknowledged in time, or null
 */
public record SafetyAlert(String id, String patientId, String proposalId, String triggerObservation, String code,
                          String severity, String detail, Instant createdAt, String status, int occurrences,
                          Instant lastSeen, String acknowledgedBy, Instant acknowledgedAt, Instant escalatedAt) implements PatientData {

    public static final String OPEN = "OPEN";
    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";

    /** A newly raised alert. */
    public static SafetyAlert raised(String id, String patientId, String proposalId, String observation, Alert a,
                                     Instant at) {
        return new SafetyAlert(id, patientId, proposalId, observation, a.code(), a.severity(), a.detail(), at, OPEN, 1,
                at, null, null, null);
    }
}
