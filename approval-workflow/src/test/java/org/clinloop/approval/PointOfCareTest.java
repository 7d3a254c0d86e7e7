package org.clinloop.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.clinloop.recommendation.BloodPressureReading;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An order drafted in the EHR is judged as a clinician's modification is: what the rules would
 * block is BLOCKED, what a rule other than those about automatic delivery would send to a
 * clinician is NEEDS_REVIEW, the rest is WITHIN_BOUNDS.
 */
class PointOfCareTest {

    static final ProtocolLimits LIMITS = ProtocolLimits.HYPERTENSION_ACEI;
    static final Instant NOW = Instant.parse("2026-12-08T08:00:00Z");
    static SafetyRules rules;

    @BeforeAll
    static void compile() {
        rules = SafetyRules.standard();
    }

    /** As a modification is re-checked: autonomy not earned, nothing known against the drug. */
    static PointOfCare.OrderCheck check(int from, int to, SafetyBounds bounds, double systolic, double diastolic) {
        BloodPressureReading r = new BloodPressureReading("o-1", NOW, systolic, diastolic);
        DecisionContext context = new DecisionContext(r, List.of(r), AutonomyState.NEW, AutoChangeHistory.NONE,
                ClinicalContext.UNKNOWN, NOW);
        return PointOfCare.classify(rules.evaluate(new ProposedStep(from, to, 1.0), bounds, LIMITS, context), LIMITS);
    }

    static SafetyBounds approvalOnly() {
        return SafetyBounds.protocolDefault("p-1", LIMITS);
    }

    @Test
    void aStepAboveTheLadderIsBlockedNamingTheRule() {
        PointOfCare.OrderCheck c = check(2, 5, approvalOnly(), 146, 90);
        assertThat(c.verdict()).isEqualTo(PointOfCare.OrderVerdict.BLOCKED);
        assertThat(c.reasons()).containsExactly("Outside the protocol's hard limits: expected a dose step within the "
                + "protocol ladder 0..4, found 5");
    }

    @Test
    void anIncreaseBelowTheFloorIsBlocked() {
        PointOfCare.OrderCheck c = check(2, 3, approvalOnly(), 96, 60);
        assertThat(c.verdict()).isEqualTo(PointOfCare.OrderVerdict.BLOCKED);
        assertThat(c.reasons()).singleElement().asString().startsWith("Increase below the systolic floor: ");
    }

    @Test
    void aStepInsideTheBoundsIsWithinThemThoughOnlyAClinicianMayMakeIt() {
        PointOfCare.OrderCheck c = check(2, 3, approvalOnly(), 146, 90);
        assertThat(c.verdict()).isEqualTo(PointOfCare.OrderVerdict.WITHIN_BOUNDS);
        assertThat(c.reasons()).isEmpty();
        assertThat(c.fired()).extracting(RuleFiring::rule)
                .containsExactlyInAnyOrder("Larger than the automatic step", "Autonomy not enabled", "Autonomy not yet earned");
    }

    @Test
    void aStepOutsideTheClinicianSignedBoundsOrADecreaseBelowTheFloorIsForReview() {
        SafetyBounds signed = new SafetyBounds("p-1", 2, LIMITS.protocol(), 1, 2, 1, 100, 0.7, true, 7, 2, "dr.rivera",
                Instant.parse("2026-11-01T09:00:00Z"));
        PointOfCare.OrderCheck outside = check(2, 3, signed, 146, 90);
        assertThat(outside.verdict()).isEqualTo(PointOfCare.OrderVerdict.NEEDS_REVIEW);
        assertThat(outside.reasons()).singleElement().asString().startsWith("Outside the clinician's bounds: ");
        PointOfCare.OrderCheck decrease = check(2, 1, approvalOnly(), 96, 60);
        assertThat(decrease.verdict()).isEqualTo(PointOfCare.OrderVerdict.NEEDS_REVIEW);
        assertThat(decrease.reasons()).singleElement().asString()
                .startsWith("Decrease below the systolic floor goes to review: ");
    }
}
