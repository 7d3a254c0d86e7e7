package org.clinloop.approval;

import java.util.Objects;

/**
 * What the EHR and the patient tell about contraindications and symptoms; null where unknown.
 *
 * @param pregnant           whether the patient is pregnant (ACE inhibitors and ARBs are contraindicated)
 * @param potassium          latest serum potassium, mmol/L
 * @param egfrDropPercent    fall of eGFR from its baseline, percent (positive = worse)
 * @param hypotensionSymptom a symptom of low blood pressure (dizziness, light-headedness, fainting)
 *                           the patient reported recently, as "name (SNOMED code) at time"; null if none
 * @param provenance         who asserted each of the values above, so that the rules' reasons can say it
 */
public record ClinicalContext(Boolean pregnant, Double potassium, Double egfrDropPercent, String hypotensionSymptom,
                              Provenance provenance) {

    public static final ClinicalContext UNKNOWN = new ClinicalContext(null, null, null, null);

    public ClinicalContext {
        Objects.requireNonNull(provenance, "Provenance is required (use Provenance.UNRECORDED).");
    }

    /** Without a reported symptom; provenance not recorded. */
    public ClinicalContext(Boolean pregnant, Double potassium, Double egfrDropPercent) {
        this(pregnant, potassium, egfrDropPercent, null);
    }

    /** Provenance not recorded (a context built before sources were kept, or replayed from such a record). */
    public ClinicalContext(Boolean pregnant, Double potassium, Double egfrDropPercent, String hypotensionSymptom) {
        this(pregnant, potassium, egfrDropPercent, hypotensionSymptom, Provenance.UNRECORDED);
    }

    /**
     * Who asserted each input of a {@link ClinicalContext}, as the module that keeps observations
     * says it, e.g. "ehr-system at 2026-11-19T08:00:00Z", "patient at …" or "unknown at …" (stored
     * before sources were recorded); null where the input is unknown or its source was not recorded.
     * Only a trusted source (EHR system, clinician) can have cleared a contraindication; an
     * untrusted one can only have added it. Text for people and rule reasons: the rules decide on
     * the values, never on this text.
     */
    public record Provenance(String pregnant, String potassium, String egfrDropPercent, String hypotensionSymptom) {

        public static final Provenance UNRECORDED = new Provenance(null, null, null, null);
    }
}
