package org.clinloop.recommendation;

/**
 * The antihypertensive class a patient's titration ladder belongs to. Names are stored and are
 * model inputs: never rename, only add.
 */
public enum DrugClass {
    /** ACE inhibitor, e.g. lisinopril: lowers diastolic by about 0.55 of the systolic effect. */
    ACE_INHIBITOR,
    /** Dihydropyridine calcium-channel blocker, e.g. amlodipine: in the synthetic cohort only. */
    CALCIUM_CHANNEL_BLOCKER
}
