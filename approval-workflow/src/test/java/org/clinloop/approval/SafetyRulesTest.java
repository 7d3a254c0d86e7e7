package org.clinloop.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.clinloop.recommendation.BloodPressureReading;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each scenario asserts exactly which rules fired and what came out. */
class SafetyRulesTest {

    static final ProtocolLimits LIMITS = ProtocolLimits.HYPERTENSION_ACEI;
    static SafetyRules rules;

    @BeforeAll
    static void compile() {
        rules = SafetyRules.standard();
    }

    static SafetyBounds autonomous() {
        return new SafetyBounds("p-1", 3, LIMITS.protocol(), 1, 3, 1, 100, 0.7, true, "dr.rivera",
                Instant.parse("2026-11-01T09:00:00Z"));
    }

    static BloodPressureReading reading(double sys, double dia) {
        return new BloodPressureReading("o-1", Instant.parse("2026-11-20T08:00:00Z"), sys, dia);
    }

    @Test
    void aOneStepIncreaseInsideTheBoundsIsDeliveredAutomatically() {
        TierDecision d = rules.evaluate(new ProposedStep(2, 3, 0.91), autonomous(), LIMITS, reading(150, 95));

        assertThat(d.tier()).isEqualTo(Tier.AUTO);
        assertThat(d.ruleNames()).containsExactly("Inside the patient's bounds");
        assertThat(d.alerts()).isEmpty();
        assertThat(d.boundsVersion()).isEqualTo(3);
        assertThat(d.rulesVersion()).startsWith("titration-safety@");
    }

    @Test
    void withoutAutonomyEveryChangeWaitsForAClinician() {
        SafetyBounds b = SafetyBounds.protocolDefault("p-1", LIMITS);
        TierDecision d = rules.evaluate(new ProposedStep(2, 3, 0.95), b, LIMITS, reading(150, 95));

        assertThat(d.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(d.ruleNames()).containsExactlyInAnyOrder("Autonomy not enabled", "Larger than the automatic step");
    }

    @Test
    void aStepBeyondTheClinicianBoundsButInsideTheLadderNeedsApproval() {
        TierDecision d = rules.evaluate(new ProposedStep(3, 4, 0.95), autonomous(), LIMITS, reading(150, 95));

        assertThat(d.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(d.ruleNames()).containsExactly("Outside the clinician's bounds");
        assertThat(d.fired().get(0).reason()).isEqualTo("expected a dose step within bounds v3 (1..3), found 4");
    }

    @Test
    void anIncreasePastTheTopOfTheLadderIsBlockedWithAnAlert() {
        TierDecision d = rules.evaluate(new ProposedStep(4, 5, 0.99), autonomous(), LIMITS, reading(160, 100));

        assertThat(d.tier()).isEqualTo(Tier.BLOCKED);
        assertThat(d.ruleNames()).containsExactlyInAnyOrder("Outside the protocol's hard limits");
        assertThat(d.alerts()).extracting(Alert::code).containsExactly(Alert.OUTSIDE_HARD_LIMITS);
    }

    @Test
    void anIncreaseBelowTheSystolicFloorIsBlocked() {
        TierDecision d = rules.evaluate(new ProposedStep(2, 3, 0.9), autonomous(), LIMITS, reading(96, 60));

        assertThat(d.tier()).isEqualTo(Tier.BLOCKED);
        assertThat(d.ruleNames()).containsExactly("Increase below the systolic floor");
        assertThat(d.alerts()).extracting(Alert::code).containsExactly(Alert.HYPOTENSION_RISK);
    }

    @Test
    void aCrisisReadingRaisesAnUrgentAlertWhateverTheModelSays() {
        TierDecision hold = rules.evaluate(new ProposedStep(2, 2, 0.9), autonomous(), LIMITS, reading(184, 112));
        TierDecision increase = rules.evaluate(new ProposedStep(2, 3, 0.9), autonomous(), LIMITS, reading(170, 121));
        TierDecision none = rules.evaluate(null, autonomous(), LIMITS, reading(180, 90));

        assertThat(hold.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(hold.ruleNames()).containsExactlyInAnyOrder("Hypertensive crisis", "No change proposed");
        assertThat(increase.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(increase.ruleNames()).containsExactly("Hypertensive crisis");
        assertThat(none.ruleNames()).containsExactly("Hypertensive crisis");
        for (TierDecision d : new TierDecision[] {hold, increase, none}) {
            assertThat(d.alerts()).extracting(Alert::code).containsExactly(Alert.HYPERTENSIVE_CRISIS);
            assertThat(d.urgent()).isTrue();
        }
    }

    @Test
    void aHoldIsNoChange() {
        TierDecision d = rules.evaluate(new ProposedStep(2, 2, 0.8), autonomous(), LIMITS, reading(128, 78));

        assertThat(d.tier()).isEqualTo(Tier.NO_CHANGE);
        assertThat(d.ruleNames()).containsExactly("No change proposed");
    }

    @Test
    void anUnsureModelDefersToAClinician() {
        TierDecision d = rules.evaluate(new ProposedStep(2, 1, 0.55), autonomous(), LIMITS, reading(118, 74));

        assertThat(d.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(d.ruleNames()).containsExactly("Model not confident enough");
    }

    @Test
    void aBrokenRuleSetThatWouldAllowEverythingIsCaughtByTheSafetyNet() {
        String reckless = """
                package org.clinloop.approval.rules;
                import org.clinloop.approval.Tier;
                import org.clinloop.approval.internal.ProposalFact;
                global org.clinloop.approval.internal.Verdicts verdicts;
                rule "Anything goes"
                when ProposalFact() then verdicts.vote("Anything goes", Tier.AUTO, "reckless");
                end
                """;
        SafetyRules bad = new SafetyRules(reckless);

        TierDecision outside = bad.evaluate(new ProposedStep(4, 6, 0.99), autonomous(), LIMITS, reading(150, 90));
        TierDecision beyondBounds = bad.evaluate(new ProposedStep(3, 4, 0.99), autonomous(), LIMITS, reading(150, 90));

        assertThat(outside.tier()).isEqualTo(Tier.BLOCKED);
        assertThat(beyondBounds.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(beyondBounds.ruleNames()).containsExactly("Anything goes", SafetyRules.SAFETY_NET);
    }

    @Test
    void rulesThatDoNotCompileAreRefusedWithTheirText() {
        assertThatThrownBy(() -> new SafetyRules("rule \"x\" when Nope() then end"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Safety rules do not compile");
    }
}
