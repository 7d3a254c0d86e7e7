package org.clinloop.approval;

import org.clinloop.recommendation.BloodPressureReading;

/**
 * The same bounds as the Drools rules, written by hand in Java. It is the safety net behind the
 * rules (an AUTO the rules give that this check refuses goes to a clinician instead) and the
 * speed limit the rules are benchmarked against.
 */
public final class BoundsCheck {

    private BoundsCheck() {
    }

    /** Whether the system may deliver {@code step} on its own. */
    public static boolean autonomousAllowed(ProposedStep step, SafetyBounds bounds, ProtocolLimits limits,
                                            BloodPressureReading reading) {
        int change = step.change();
        return change != 0
                && bounds.autonomyEnabled()
                && limits.violations(bounds).isEmpty()
                && limits.allows(step.toStep())
                && step.toStep() >= bounds.lowestStep() && step.toStep() <= bounds.highestStep()
                && Math.abs(change) <= bounds.maxAutoSteps()
                && step.probability() >= bounds.minConfidence()
                && reading != null
                && !reading.isHypertensiveCrisis()
                && reading.systolic() >= bounds.systolicFloor();
    }

    /** Whether any actor, clinician included, may ever deliver {@code toStep}. */
    public static boolean insideHardLimits(int toStep, ProtocolLimits limits) {
        return limits.allows(toStep);
    }
}
