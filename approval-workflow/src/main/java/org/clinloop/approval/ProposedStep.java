package org.clinloop.approval;

/**
 * A dose change put to the safety rules: by the model, or by a clinician's modification.
 *
 * @param fromStep    current dose step
 * @param toStep      proposed dose step
 * @param probability the model's probability for it (1.0 for a clinician's own choice)
 */
public record ProposedStep(int fromStep, int toStep, double probability) {

    public int change() {
        return toStep - fromStep;
    }
}
