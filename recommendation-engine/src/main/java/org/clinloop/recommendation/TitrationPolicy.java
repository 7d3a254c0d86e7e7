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
 *   <li>Magnitude: two steps instead of one when far from target (daytime mean at or above
 *       150 systolic or 95 diastolic up; below 95 systolic, or the last below 85, down) and the
 *       ladder has two steps to go.</li>
 * </ul>
 */
public final class TitrationPolicy {

    /** Reported adherence below this: address adherence before raising the dose. */
    public static final double POOR_ADHERENCE = 0.8;

    private TitrationPolicy() {
    }

    /** A direction and how many ladder steps (0 for HOLD). */
    public record Decision(Direction direction, int steps) {

        public Decision {
            if (direction == Direction.HOLD ? steps != 0 : steps < 1 || steps > MAX_STEPS) {
                throw new IllegalArgumentException("Expected 0 steps for HOLD and 1.." + MAX_STEPS + " otherwise, found "
                        + direction + " by " + steps + ".");
            }
        }

        public static Decision of(Direction direction) {
            return new Decision(direction, direction == Direction.HOLD ? 0 : 1);
        }
    }

    /** The most steps the guideline moves at once. */
    public static final int MAX_STEPS = 2;
    /** Far above target: 7-day daytime mean at or above these moves two steps when the ladder allows. */
    public static final double FAR_ABOVE_SYSTOLIC = 150;
    public static final double FAR_ABOVE_DIASTOLIC = 95;
    /** Far below: 7-day daytime mean systolic below this, or the last below 85, moves two steps down. */
    public static final double FAR_BELOW_SYSTOLIC = 95;
    public static final double FAR_BELOW_LAST_SYSTOLIC = 85;
    /** Above target with a margin against noise (home target below 130/80, plus 5): act. */
    public static final double ACTION_SYSTOLIC = 135;
    public static final double ACTION_DIASTOLIC = 85;
    /** Too low: 7-day daytime mean systolic below this, or the last below 95. */
    public static final double FLOOR_SYSTOLIC = 105;
    public static final double FLOOR_LAST_SYSTOLIC = 95;

    public static Direction label(TitrationFeatures f) {
        return decide(f).direction();
    }

    /**
     * The guideline's decision for the features, on the cohort's ladder (0..{@link
     * SyntheticCohort#HIGHEST_DOSE_STEP}). Two steps only far from target and with two steps of
     * ladder to go; the safety rules still bind whatever the model proposes.
     */
    public static Decision decide(TitrationFeatures f) {
        boolean atMin = f.value(FeatureExtractor.DOSE_AT_MIN) == 1.0;
        boolean atMax = f.value(FeatureExtractor.DOSE_AT_MAX) == 1.0;
        double step = f.value(FeatureExtractor.DOSE_STEP);
        double sbp = f.value(FeatureExtractor.SBP_MEAN_7D);
        double dbp = f.value(FeatureExtractor.DBP_MEAN_7D);
        if (sbp < FLOOR_SYSTOLIC || f.value(FeatureExtractor.SBP_LAST) < FLOOR_LAST_SYSTOLIC) {
            if (atMin) {
                return Decision.of(Direction.HOLD);
            }
            boolean farBelow = sbp < FAR_BELOW_SYSTOLIC || f.value(FeatureExtractor.SBP_LAST) < FAR_BELOW_LAST_SYSTOLIC;
            return new Decision(Direction.DECREASE, farBelow && step >= 2 ? 2 : 1);
        }
        if (sbp >= ACTION_SYSTOLIC || dbp >= ACTION_DIASTOLIC) {
            boolean poorAdherence = !f.missing().contains(FeatureExtractor.ADHERENCE_7D)
                    && f.value(FeatureExtractor.ADHERENCE_7D) < POOR_ADHERENCE;
            if (atMax || poorAdherence) {
                return Decision.of(Direction.HOLD);
            }
            boolean farAbove = sbp >= FAR_ABOVE_SYSTOLIC || dbp >= FAR_ABOVE_DIASTOLIC;
            return new Decision(Direction.INCREASE,
                    farAbove && step + 2 <= SyntheticCohort.HIGHEST_DOSE_STEP ? 2 : 1);
        }
        return Decision.of(Direction.HOLD);
    }
}
