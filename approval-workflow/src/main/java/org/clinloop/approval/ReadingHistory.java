package org.clinloop.approval;

import java.time.Instant;
import java.util.List;
import org.clinloop.recommendation.BloodPressureReading;

/** A patient's blood-pressure readings (fhir-ingest implements it from stored Observations). */
public interface ReadingHistory {

    /** Readings taken in [from, to], oldest first. */
    List<BloodPressureReading> between(String patientId, Instant from, Instant to);
}
