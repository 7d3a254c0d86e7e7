package org.clinloop.approval;

/** Why a clinician rejected a proposal: a fixed value set, plus free text in the note. */
public enum RejectionReason {
    CLINICAL_JUDGEMENT,
    DATA_QUALITY,
    PATIENT_PREFERENCE,
    CONTRAINDICATION,
    ADVERSE_EFFECT,
    OTHER
}
