package org.clinloop.approval;

import java.time.Instant;
import org.clinloop.audit.PatientData;

/**
 * The blood-pressure goal a clinician agreed with the patient (FHIR Goal).
 *
 * @param patientId       the patient
 * @param systolicTarget  home systolic below this, mm[Hg]
 * @param diastolicTarget home diastolic below this, mm[Hg]
 * @param setBy           the clinician
 * @param setAt           when
 */
public record CareGoal(String patientId, double systolicTarget, double diastolicTarget, String setBy, Instant setAt) implements PatientData {

    /** The protocol's default home target, until a clinician sets one. */
    public static CareGoal protocolDefault(String patientId) {
        return new CareGoal(patientId, 130, 80, "protocol", Instant.EPOCH);
    }
}
