package org.clinloop.recommendation;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What the model may see about one patient at one moment.
 *
 * @param patientId        FHIR Patient id
 * @param asOf             the moment of the decision; readings after it are not seen
 * @param readings         recent readings, any order (sorted by effective time here)
 * @param doseStep         current position on the dose ladder, 0 = lowest dose
 * @param highestDoseStep  the top of the ladder
 * @param signals          what else is known (age, adherence, heart rate, activity, labs), or unknown
 * @param drugClass        the class of the drug on the ladder
 */
public record PatientSnapshot(String patientId, Instant asOf, List<BloodPressureReading> readings, int doseStep,
                              int highestDoseStep, PatientSignals signals, DrugClass drugClass) {

    /** A snapshot with nothing known beyond readings and dose, on an ACE inhibitor. */
    public PatientSnapshot(String patientId, Instant asOf, List<BloodPressureReading> readings, int doseStep,
                           int highestDoseStep) {
        this(patientId, asOf, readings, doseStep, highestDoseStep, PatientSignals.UNKNOWN, DrugClass.ACE_INHIBITOR);
    }

    /** A snapshot on an ACE inhibitor. */
    public PatientSnapshot(String patientId, Instant asOf, List<BloodPressureReading> readings, int doseStep,
                           int highestDoseStep, PatientSignals signals) {
        this(patientId, asOf, readings, doseStep, highestDoseStep, signals, DrugClass.ACE_INHIBITOR);
    }

    public PatientSnapshot {
        Objects.requireNonNull(patientId, "Patient id is required.");
        Objects.requireNonNull(asOf, "Decision time is required.");
        Objects.requireNonNull(signals, "Signals are required (PatientSignals.UNKNOWN when nothing is known).");
        Objects.requireNonNull(drugClass, "A drug class is required.");
        readings = readings.stream()
                .filter(r -> !r.effective().isAfter(asOf))
                .sorted(Comparator.comparing(BloodPressureReading::effective))
                .toList();
        if (readings.isEmpty()) {
            throw new IllegalArgumentException("A snapshot needs at least one reading at or before " + asOf + ".");
        }
        if (highestDoseStep < 0 || doseStep < 0 || doseStep > highestDoseStep) {
            throw new IllegalArgumentException("Expected 0 <= dose step <= " + highestDoseStep + ", found " + doseStep + ".");
        }
    }

    public BloodPressureReading latest() {
        return readings.get(readings.size() - 1);
    }
}
