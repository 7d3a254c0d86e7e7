package org.clinloop.recommendation;

import java.time.Instant;
import java.util.Objects;

/**
 * One home blood-pressure measurement, in mm[Hg], placed by when it was taken.
 *
 * @param observationId the FHIR Observation it came from (for traceability)
 * @param effective     when it was measured (not when it arrived)
 * @param systolic      systolic pressure, mm[Hg]
 * @param diastolic     diastolic pressure, mm[Hg]
 */
public record BloodPressureReading(String observationId, Instant effective, double systolic, double diastolic) {

    public BloodPressureReading {
        Objects.requireNonNull(effective, "Reading time is required.");
        if (!(systolic > 0) || !(diastolic > 0)) {
            throw new IllegalArgumentException("Expected positive pressures, found " + systolic + "/" + diastolic + ".");
        }
    }

    /** Crisis threshold of the foundation protocol: systolic at or above 180 or diastolic at or above 120. */
    public boolean isHypertensiveCrisis() {
        return systolic >= 180 || diastolic >= 120;
    }
}
