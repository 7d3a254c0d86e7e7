package org.clinloop.approval;

/**
 * What the EHR and the patient tell about contraindications and symptoms; null where unknown.
 *
 * @param pregnant           whether the patient is pregnant (ACE inhibitors and ARBs are contraindicated)
 * @param potassium          latest serum potassium, mmol/L
 * @param egfrDropPercent    fall of eGFR from its baseline, percent (positive = worse)
 * @param hypotensionSymptom a symptom of low blood pressure (dizziness, light-headedness, fainting)
 *                           the patient reported recently, as "name (SNOMED code) at time"; null if none
 */
public record ClinicalContext(Boolean pregnant, Double potassium, Double egfrDropPercent, String hypotensionSymptom) {

    public static final ClinicalContext UNKNOWN = new ClinicalContext(null, null, null, null);

    /** Without a reported symptom. */
    public ClinicalContext(Boolean pregnant, Double potassium, Double egfrDropPercent) {
        this(pregnant, potassium, egfrDropPercent, null);
    }
}
