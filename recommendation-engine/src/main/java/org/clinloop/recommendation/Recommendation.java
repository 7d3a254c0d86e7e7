package org.clinloop.recommendation;

import java.util.Map;

/**
 * What the model proposes for one snapshot, with everything needed to reconstruct it.
 *
 * @param patientId     the patient
 * @param direction     DECREASE, HOLD or INCREASE
 * @param steps         titration steps in that direction (0 for HOLD)
 * @param probability   the model's probability of {@code direction}
 * @param probabilities probability of every direction
 * @param features      feature values in clinical units
 * @param inputHash     hex SHA-256 of the snapshot the model saw
 * @param model         the model version and its provenance hash
 * @param rationale     a sentence a clinician reads in five seconds
 * @param explanation   per-feature contributions behind the proposal (exact for a linear model), or
 *                      null when the model cannot explain itself exactly and per reading
 */
public record Recommendation(String patientId, Direction direction, int steps, double probability,
                             Map<Direction, Double> probabilities, TitrationFeatures features, String inputHash,
                             ModelVersion model, String rationale, Explanation explanation) {

    public Recommendation {
        probabilities = Map.copyOf(probabilities);
        if (direction == Direction.HOLD && steps != 0 || direction != Direction.HOLD && steps < 1) {
            throw new IllegalArgumentException("Expected 0 steps for HOLD and at least 1 otherwise, found "
                    + direction + " by " + steps + ".");
        }
    }

    /** Signed dose-step change: -steps, 0 or +steps. */
    public int stepChange() {
        return direction.sign() * steps;
    }
}
