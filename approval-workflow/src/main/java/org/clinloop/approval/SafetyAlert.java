package org.clinloop.approval;

import java.time.Instant;

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
 * @param createdAt          when
 */
public record SafetyAlert(String id, String patientId, String proposalId, String triggerObservation, String code,
                          String severity, String detail, Instant createdAt) {
}
