package org.clinloop.approval;

/**
 * The same conditions for automatic delivery as the Drools rules, written by hand in Java. It
 * is the safety net behind the rules (an AUTO the rules give that this check refuses goes to a
 * clinician instead) and the speed limit the rules are benchmarked against.
 */
public final class BoundsCheck {

    private BoundsCheck() {
    }

    /** Whether the system may deliver {@code step} on its own. */
    public static boolean autonomousAllowed(ProposedStep step, SafetyBounds bounds, ProtocolLimits limits,
                                            DecisionContext context) {
        if (step == null || context == null) {
            return false;
        }
        int change = step.change();
        ClinicalContext clinical = context.clinical();
        double meanLastThree = context.meanSystolicOfLastThree();
        return change != 0
                && bounds.autonomyEnabled()
                && context.autonomy().earned()
                && limits.violations(bounds).isEmpty()
                && limits.allows(step.toStep())
                && step.toStep() >= bounds.lowestStep() && step.toStep() <= bounds.highestStep()
                && Math.abs(change) <= bounds.maxAutoSteps()
                && step.probability() >= bounds.minConfidence()
                && !context.reading().isHypertensiveCrisis()
                && context.reading().systolic() >= bounds.systolicFloor()
                && (Double.isNaN(meanLastThree) || meanLastThree >= 90)
                && !Boolean.TRUE.equals(clinical.pregnant())
                && clinical.hypotensionSymptom() == null
                && (clinical.potassium() == null || clinical.potassium() <= limits.potassiumMax())
                && (clinical.egfrDropPercent() == null || clinical.egfrDropPercent() <= limits.egfrDropMaxPercent())
                && context.daysSinceLastAutoChange() >= bounds.minDaysBetweenAutoChanges()
                && context.changes().last30Days() < bounds.maxAutoChangesPer30Days();
    }

    /** Whether any actor, clinician included, may ever deliver {@code toStep}. */
    public static boolean insideHardLimits(int toStep, ProtocolLimits limits) {
        return limits.allows(toStep);
    }
}
