package org.clinloop.recommendation;

/**
 * The guideline that labels the synthetic training cohort (not the safety rules: those live in
 * {@code approval-workflow} and bind whatever the model says).
 *
 * <ul>
 *   <li>Low: 7-day mean systolic below 105 or last systolic below 95 → DECREASE one step
 *       (HOLD at the lowest dose).</li>
 *   <li>Above target: 7-day daytime mean at or above 135 systolic or 85 diastolic (home target
 *       below 130/80 plus a 5 mm[Hg] margin against noise) → INCREASE one step; HOLD at the top,
 *       and HOLD when the patient reported taking fewer than 80 % of doses over the week (treat
 *       non-adherence before intensifying; unknown adherence does not hold).</li>
 *   <li>Otherwise HOLD.</li>
 * </ul>
 */
public final class TitrationPolicy {

    /** Reported adherence below this: address adherence before raising the dose. */
    public static final double POOR_ADHERENCE = 0.8;

    private TitrationPolicy() {
    }

    public static Direction label(TitrationFeatures f) {
        boolean atMin = f.value(FeatureExtractor.DOSE_AT_MIN) == 1.0;
        boolean atMax = f.value(FeatureExtractor.DOSE_AT_MAX) == 1.0;
        if (f.value(FeatureExtractor.SBP_MEAN_7D) < 105 || f.value(FeatureExtractor.SBP_LAST) < 95) {
            return atMin ? Direction.HOLD : Direction.DECREASE;
        }
        if (f.value(FeatureExtractor.SBP_MEAN_7D) >= 135 || f.value(FeatureExtractor.DBP_MEAN_7D) >= 85) {
            boolean poorAdherence = !f.missing().contains(FeatureExtractor.ADHERENCE_7D)
                    && f.value(FeatureExtractor.ADHERENCE_7D) < POOR_ADHERENCE;
            return atMax || poorAdherence ? Direction.HOLD : Direction.INCREASE;
        }
        return Direction.HOLD;
    }
}
