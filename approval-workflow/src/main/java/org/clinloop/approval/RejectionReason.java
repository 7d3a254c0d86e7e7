package org.clinloop.approval;

import org.clinloop.recommendation.Direction;

/**
 * Why a clinician rejected a proposal: a fixed value set, plus free text in the note. Each reason
 * also says what the rejection teaches the model (see {@link #label}): only a rejection on
 * clinical judgement of a proposed change says the dose should have stayed; the other reasons lie
 * outside what the model sees and label nothing.
 */
public enum RejectionReason {
    CLINICAL_JUDGEMENT(Direction.HOLD, "rejected on clinical judgement: the dose should have stayed"),
    DATA_QUALITY(null, "rejected for data quality: the readings, not the proposal, were in doubt"),
    PATIENT_PREFERENCE(null, "rejected for patient preference: not a clinical label"),
    CONTRAINDICATION(null, "rejected for a contraindication: the safety rules' concern, not in the model's inputs"),
    ADVERSE_EFFECT(null, "rejected for an adverse effect: not in the model's inputs"),
    OTHER(null, "rejected for another reason: no label without a coded clinical reason");

    private final Direction label;
    private final String labelNote;

    RejectionReason(Direction label, String labelNote) {
        this.label = label;
        this.labelNote = labelNote;
    }

    /**
     * What rejecting a proposal in {@code proposed} direction for this reason teaches, or null.
     * Rejecting a HOLD teaches nothing: which way the clinician wanted to go is unknown (a
     * modification says it).
     */
    public Direction label(Direction proposed) {
        return proposed == Direction.HOLD ? null : label;
    }

    /** Why {@link #label} is what it is. */
    public String labelNote(Direction proposed) {
        return proposed == Direction.HOLD && label != null
                ? "rejected a hold: the direction the clinician wanted is unknown (a modification would say)"
                : labelNote;
    }
}
