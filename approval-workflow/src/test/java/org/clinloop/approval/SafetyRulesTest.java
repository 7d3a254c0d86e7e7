package org.clinloop.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
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

    static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");

    static SafetyBounds autonomous() {
        return new SafetyBounds("p-1", 3, LIMITS.protocol(), 1, 3, 1, 100, 0.7, true, 7, 2, "dr.rivera",
                Instant.parse("2026-11-01T09:00:00Z"));
    }

    static BloodPressureReading reading(double sys, double dia) {
        return new BloodPressureReading("o-1", NOW, sys, dia);
    }

    static BloodPressureReading reading(double sys, double dia, int minutesBefore) {
        return new BloodPressureReading("o-" + minutesBefore, NOW.minusSeconds(60L * minutesBefore), sys, dia);
    }

    /** Autonomy earned, no automatic change yet, nothing known against the drug. */
    static DecisionContext earned(BloodPressureReading r, BloodPressureReading... earlier) {
        List<BloodPressureReading> recent = new java.util.ArrayList<>(List.of(earlier));
        recent.add(r);
        return new DecisionContext(r, recent, new AutonomyState(3, 3, true), AutoChangeHistory.NONE,
                ClinicalContext.UNKNOWN, NOW);
    }

    static TierDecision decide(ProposedStep step, SafetyBounds b, DecisionContext c) {
        return rules.evaluate(step, b, LIMITS, c);
    }

    @Test
    void aOneStepIncreaseInsideTheBoundsIsDeliveredAutomatically() {
        TierDecision d = decide(new ProposedStep(2, 3, 0.91), autonomous(), earned(reading(150, 95)));

        assertThat(d.tier()).isEqualTo(Tier.AUTO);
        assertThat(d.ruleNames()).containsExactly("Inside the patient's bounds");
        assertThat(d.alerts()).isEmpty();
        assertThat(d.boundsVersion()).isEqualTo(3);
        assertThat(d.rulesVersion()).startsWith("titration-safety@");
    }

    @Test
    void withoutAutonomyEveryChangeWaitsForAClinician() {
        SafetyBounds b = SafetyBounds.protocolDefault("p-1", LIMITS);
        TierDecision d = decide(new ProposedStep(2, 3, 0.95), b, earned(reading(150, 95)));

        assertThat(d.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(d.ruleNames()).containsExactlyInAnyOrder("Autonomy not enabled", "Larger than the automatic step");
    }

    @Test
    void aStepBeyondTheClinicianBoundsButInsideTheLadderNeedsApproval() {
        TierDecision d = decide(new ProposedStep(3, 4, 0.95), autonomous(), earned(reading(150, 95)));

        assertThat(d.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(d.ruleNames()).containsExactly("Outside the clinician's bounds");
        assertThat(d.fired().get(0).reason()).isEqualTo("expected a dose step within bounds v3 (1..3), found 4");
    }

    @Test
    void anIncreasePastTheTopOfTheLadderIsBlockedWithAnAlert() {
        TierDecision d = decide(new ProposedStep(4, 5, 0.99), autonomous(), earned(reading(160, 100)));

        assertThat(d.tier()).isEqualTo(Tier.BLOCKED);
        assertThat(d.ruleNames()).containsExactlyInAnyOrder("Outside the protocol's hard limits");
        assertThat(d.alerts()).extracting(Alert::code).containsExactly(Alert.OUTSIDE_HARD_LIMITS);
    }

    @Test
    void anIncreaseBelowTheSystolicFloorIsBlocked() {
        TierDecision d = decide(new ProposedStep(2, 3, 0.9), autonomous(), earned(reading(96, 60)));

        assertThat(d.tier()).isEqualTo(Tier.BLOCKED);
        assertThat(d.ruleNames()).containsExactly("Increase below the systolic floor");
        assertThat(d.alerts()).extracting(Alert::code).containsExactly(Alert.HYPOTENSION_RISK);
    }

    @Test
    void aSingleCrisisReadingStopsAutomaticActionAndAsksForARepeat() {
        TierDecision d = decide(new ProposedStep(2, 3, 0.95), autonomous(), earned(reading(184, 112)));

        assertThat(d.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(d.ruleNames()).containsExactly("Crisis reading awaiting confirmation");
        assertThat(d.alerts()).isEmpty();
    }

    @Test
    void aConfirmedCrisisRaisesAnUrgentAlertWhateverTheModelSays() {
        BloodPressureReading before = reading(182, 100, 10);
        TierDecision hold = decide(new ProposedStep(2, 2, 0.9), autonomous(), earned(reading(184, 112), before));
        TierDecision increase = decide(new ProposedStep(2, 3, 0.9), autonomous(), earned(reading(170, 121), before));
        TierDecision none = decide(null, autonomous(), earned(reading(180, 90), before));

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
    void aCrisisReadingAnHourApartDoesNotConfirm() {
        TierDecision d = decide(new ProposedStep(2, 3, 0.95), autonomous(), earned(reading(184, 112), reading(185, 100, 61)));
        assertThat(d.ruleNames()).containsExactly("Crisis reading awaiting confirmation");
    }

    @Test
    void persistentHypotensionRaisesAnAlert() {
        TierDecision d = decide(new ProposedStep(2, 1, 0.9), autonomous(),
                earned(reading(88, 55), reading(86, 54, 60 * 24), reading(89, 57, 60 * 48)));

        assertThat(d.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(d.ruleNames()).containsExactlyInAnyOrder("Persistent hypotension",
                "Decrease below the systolic floor goes to review");
        assertThat(d.alerts()).extracting(Alert::code).containsExactlyInAnyOrder("persistent-hypotension", "hypotension-risk");
    }

    @Test
    void contraindicationsBlockAnIncrease() {
        DecisionContext pregnant = new DecisionContext(reading(150, 95), List.of(reading(150, 95)),
                new AutonomyState(3, 3, true), AutoChangeHistory.NONE, new ClinicalContext(true, null, null), NOW);
        DecisionContext potassium = new DecisionContext(reading(150, 95), List.of(reading(150, 95)),
                new AutonomyState(3, 3, true), AutoChangeHistory.NONE, new ClinicalContext(false, 5.9, null), NOW);
        DecisionContext kidneys = new DecisionContext(reading(150, 95), List.of(reading(150, 95)),
                new AutonomyState(3, 3, true), AutoChangeHistory.NONE, new ClinicalContext(null, 4.1, 35.0), NOW);

        TierDecision p = decide(new ProposedStep(2, 3, 0.95), autonomous(), pregnant);
        TierDecision k = decide(new ProposedStep(2, 3, 0.95), autonomous(), potassium);
        TierDecision e = decide(new ProposedStep(2, 3, 0.95), autonomous(), kidneys);

        assertThat(p.tier()).isEqualTo(Tier.BLOCKED);
        assertThat(p.ruleNames()).containsExactly("ACE inhibitor in pregnancy");
        assertThat(k.tier()).isEqualTo(Tier.BLOCKED);
        assertThat(k.ruleNames()).containsExactly("Potassium too high for an increase");
        assertThat(e.tier()).isEqualTo(Tier.BLOCKED);
        assertThat(e.ruleNames()).containsExactly("eGFR falling too fast for an increase");
        TierDecision decrease = decide(new ProposedStep(2, 1, 0.95), autonomous(), kidneys);
        assertThat(decrease.tier()).as("a decrease is not blocked, but with a contraindication a clinician decides")
                .isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(decrease.ruleNames()).containsExactly("No rule allowed automatic delivery");
    }

    @Test
    void aReportedSymptomOfHypotensionAlertsAndNeedsAClinicianWhateverTheProposal() {
        DecisionContext dizzy = new DecisionContext(reading(128, 80), List.of(reading(128, 80)),
                new AutonomyState(3, 3, true), AutoChangeHistory.NONE,
                new ClinicalContext(null, null, null, "dizziness (SNOMED 404640003) at 2026-01-01T08:00:00Z"), NOW);
        for (ProposedStep step : List.of(new ProposedStep(2, 3, 0.95), new ProposedStep(2, 1, 0.95),
                new ProposedStep(2, 2, 0.95))) {
            TierDecision d = decide(step, autonomous(), dizzy);
            assertThat(d.tier()).as(step.toString()).isIn(Tier.NEEDS_APPROVAL, Tier.NO_CHANGE);
            assertThat(d.ruleNames()).contains("Reported symptoms of hypotension");
            assertThat(d.alerts()).extracting(Alert::code).contains("hypotension-symptoms");
        }
    }

    @Test
    void autonomyIsEarnedBeforeAnythingIsAutomatic() {
        DecisionContext newPatient = new DecisionContext(reading(150, 95), List.of(reading(150, 95)),
                new AutonomyState(2, 3, false), AutoChangeHistory.NONE, ClinicalContext.UNKNOWN, NOW);
        TierDecision d = decide(new ProposedStep(2, 3, 0.95), autonomous(), newPatient);

        assertThat(d.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(d.ruleNames()).containsExactly("Autonomy not yet earned");
        assertThat(d.fired().get(0).reason()).isEqualTo(
                "expected 3 proposals in a row approved unmodified before automatic changes, found 2");
    }

    @Test
    void automaticChangesAreSpacedAndCappedPerMonth() {
        DecisionContext recent = new DecisionContext(reading(150, 95), List.of(reading(150, 95)),
                new AutonomyState(3, 3, true), new AutoChangeHistory(NOW.minusSeconds(3 * 86400), 1),
                ClinicalContext.UNKNOWN, NOW);
        DecisionContext many = new DecisionContext(reading(150, 95), List.of(reading(150, 95)),
                new AutonomyState(3, 3, true), new AutoChangeHistory(NOW.minusSeconds(8 * 86400), 2),
                ClinicalContext.UNKNOWN, NOW);

        assertThat(decide(new ProposedStep(2, 3, 0.95), autonomous(), recent).ruleNames())
                .containsExactly("Too soon after the last automatic change");
        assertThat(decide(new ProposedStep(2, 3, 0.95), autonomous(), many).ruleNames())
                .containsExactly("Monthly limit of automatic changes reached");
    }

    @Test
    void aHoldIsNoChange() {
        TierDecision d = decide(new ProposedStep(2, 2, 0.8), autonomous(), earned(reading(128, 78)));

        assertThat(d.tier()).isEqualTo(Tier.NO_CHANGE);
        assertThat(d.ruleNames()).containsExactly("No change proposed");
    }

    @Test
    void anUnsureModelDefersToAClinician() {
        TierDecision d = decide(new ProposedStep(2, 1, 0.55), autonomous(), earned(reading(118, 74)));

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

        TierDecision outside = bad.evaluate(new ProposedStep(4, 6, 0.99), autonomous(), LIMITS, earned(reading(150, 90)));
        TierDecision beyondBounds = bad.evaluate(new ProposedStep(3, 4, 0.99), autonomous(), LIMITS, earned(reading(150, 90)));

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
