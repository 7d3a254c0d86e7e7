package org.clinloop.approval;

import java.time.Instant;
import java.util.Objects;
import org.clinloop.audit.PatientData;

/**
 * What the patient takes now.
 *
 * @param patientId the patient
 * @param protocol  the titration protocol (which fixes drug and ladder)
 * @param doseStep  rung on the protocol's dose ladder
 * @param since     when this dose started
 * @param setBy     who set it (clinician, or the workflow on delivery)
 */
public record Regimen(String patientId, String protocol, int doseStep, Instant since, String setBy) implements PatientData {

    public Regimen {
        Objects.requireNonNull(patientId, "Patient id is required.");
        Objects.requireNonNull(protocol, "Protocol is required.");
    }
}
