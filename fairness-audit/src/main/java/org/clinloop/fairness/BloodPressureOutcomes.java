package org.clinloop.fairness;

import java.time.Instant;
import java.util.Optional;

/** Whether a patient's blood pressure was controlled in a window (fhir-ingest implements it from readings). */
public interface BloodPressureOutcomes {

    /**
     * True when the mean of the readings taken in [from, to) is at or above the home target
     * (130 systolic or 80 diastolic); empty when there is no reading in the window.
     */
    Optional<Boolean> uncontrolled(String patientId, Instant from, Instant to);
}
