package org.clinloop.ingest;

import java.time.Instant;

/**
 * One accepted non-blood-pressure observation, normalized.
 *
 * @param observationId the stored Observation id
 * @param kind          what it measures
 * @param effective     when it was measured
 * @param value         the value in {@link ObservationKind#unit()}, or null for a coded value
 * @param code          the coded value (SNOMED CT), or null
 */
public record Measurement(String observationId, ObservationKind kind, Instant effective, Double value, String code) {
}
