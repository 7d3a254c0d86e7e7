package org.clinloop.ingest;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored observation that bears on a contraindication or a symptom check, with who asserted it.
 *
 * @param kind     potassium, eGFR, pregnancy status or symptom
 * @param measured when it was measured (its effective time)
 * @param value    the value in the kind's unit, or null for a coded kind
 * @param code     the coded value (SNOMED CT), or null for a quantity
 * @param source   who asserted it
 */
public record LabEvidence(ObservationKind kind, Instant measured, Double value, String code, ObservationSource source) {

    public LabEvidence {
        Objects.requireNonNull(kind, "The kind of evidence is required.");
        Objects.requireNonNull(measured, "When the evidence was measured is required.");
        Objects.requireNonNull(source, "Who asserted the evidence is required.");
        if (kind.unit() != null && value == null) {
            throw new IllegalArgumentException("Expected a value in " + kind.unit() + " for " + kind + ", found none.");
        }
        if (kind.unit() == null && code == null) {
            throw new IllegalArgumentException("Expected a coded value for " + kind + ", found none.");
        }
    }

    /** "ehr-system at 2026-11-19T08:00:00Z": who said it and when it was measured, for rule reasons. */
    public String provenance() {
        return source.code() + " at " + measured;
    }
}
