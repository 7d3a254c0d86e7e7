package org.clinloop.approval;

/**
 * What the EHR tells about contraindications; null where unknown.
 *
 * @param pregnant          whether the patient is pregnant (ACE inhibitors and ARBs are contraindicated)
 * @param potassium         latest serum potassium, mmol/L
 * @param egfrDropPercent   fall of eGFR from its baseline, percent (positive = worse)
 */
public record ClinicalContext(Boolean pregnant, Double potassium, Double egfrDropPercent) {

    public static final ClinicalContext UNKNOWN = new ClinicalContext(null, null, null);
}
