package org.clinloop.approval;

import java.time.Instant;
import org.clinloop.recommendation.PatientSignals;

/**
 * Where contraindication data and the model's other signals come from (fhir-ingest implements it
 * from Patients, lab and vital-sign Observations and MedicationStatements). Without an
 * implementation everything is unknown.
 */
public interface ClinicalContextSource {

    /** What the safety rules need to know: contraindications and reported symptoms. */
    ClinicalContext of(String patientId, Instant asOf);

    /** What the model may know besides readings and dose: age, adherence, heart rate, activity, labs. */
    default PatientSignals signals(String patientId, Instant asOf) {
        return PatientSignals.UNKNOWN;
    }
}
