package org.clinloop.approval;

import java.math.BigDecimal;
import java.time.Instant;
import org.clinloop.audit.PatientData;

/**
 * A dose change delivered to the patient's app (FHIR MedicationRequest, intent order).
 *
 * @param id             adjustment id
 * @param patientId      the patient
 * @param proposalId     the proposal it came from
 * @param fromStep       previous dose step
 * @param toStep         new dose step
 * @param medication     drug name
 * @param rxNormCode     RxNorm ingredient code
 * @param dose           new daily dose
 * @param unit           UCUM unit of the dose
 * @param route          AUTO (inside the bounds) or APPROVED (by a named clinician)
 * @param approvedBy     the clinician who approved it, or null for AUTO
 * @param createdAt      when it was issued
 * @param acknowledgedAt when the patient's app acknowledged it, or null
 * @param modified       true when a clinician chose a different dose than the proposal's
 * @param flaggedAt      when it was flagged for not being acknowledged in time, or null
 */
public record DoseAdjustment(String id, String patientId, String proposalId, int fromStep, int toStep,
                             String medication, String rxNormCode, BigDecimal dose, String unit, String route,
                             String approvedBy, Instant createdAt, Instant acknowledgedAt, boolean modified,
                             Instant flaggedAt) implements PatientData {

    public static final String AUTO = "AUTO";
    public static final String APPROVED = "APPROVED";
}
