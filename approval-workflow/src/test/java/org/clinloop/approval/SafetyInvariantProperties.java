package org.clinloop.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.clinloop.recommendation.BloodPressureReading;

/**
 * The safety case as properties over random bounds, regimens, readings, EHR context, model
 * outputs and clinician actions: no change reaches a patient on its own unless it lies inside
 * the active bounds; nothing ever goes past the protocol's hard limits, approved or not; a
 * confirmed crisis always alerts and never auto-delivers; the rules and the hand-written Java
 * check agree on every automatic delivery.
 */
class SafetyInvariantProperties {

    static final ProtocolLimits LIMITS = ProtocolLimits.HYPERTENSION_ACEI;
    static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");
    static SafetyRules rules;

    @BeforeContainer
    static void compile() {
        rules = SafetyRules.standard();
    }

    record Case(SafetyBounds bounds, ProposedStep step, DecisionContext context) {
    }

    @Provide
    Arbitrary<SafetyBounds> bounds() {
        return Combinators.combine(
                Arbitraries.integers().between(-1, 5), Arbitraries.integers().between(-1, 5),
                Arbitraries.integers().between(-1, 3), Arbitraries.doubles().between(60, 160),
                Arbitraries.doubles().between(0.0, 1.0), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 30), Arbitraries.integers().between(-1, 6))
                .as((lo, hi, maxAuto, floor, conf, auto, days, perMonth) -> new SafetyBounds("p", 1, LIMITS.protocol(),
                        lo, hi, maxAuto, floor, conf, auto, days, perMonth, "dr.test", Instant.EPOCH));
    }

    @Provide
    Arbitrary<BloodPressureReading> readings() {
        return Combinators.combine(Arbitraries.doubles().between(40, 300), Arbitraries.doubles().between(20, 200),
                        Arbitraries.integers().between(0, 72 * 60))
                .as((s, d, minutesBefore) -> new BloodPressureReading("o-" + minutesBefore,
                        NOW.minus(Duration.ofMinutes(minutesBefore)), s, d));
    }

    @Provide
    Arbitrary<DecisionContext> contexts() {
        Arbitrary<AutonomyState> autonomy = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.of(true, false)).as((n, earned) -> new AutonomyState(n, 3, earned));
        Arbitrary<AutoChangeHistory> changes = Combinators.combine(
                Arbitraries.integers().between(-1, 40 * 24), Arbitraries.integers().between(0, 6))
                .as((hoursAgo, count) -> new AutoChangeHistory(hoursAgo < 0 ? null : NOW.minus(Duration.ofHours(hoursAgo)),
                        count));
        Arbitrary<ClinicalContext> clinical = Combinators.combine(
                Arbitraries.of(true, false).injectNull(0.5), Arbitraries.doubles().between(3.0, 7.0).injectNull(0.5),
                Arbitraries.doubles().between(-20, 60).injectNull(0.5),
                Arbitraries.of("dizziness (SNOMED 404640003) at " + NOW.minus(Duration.ofHours(5))).injectNull(0.8))
                .as(ClinicalContext::new);
        Arbitrary<BloodPressureReading> trigger = Combinators.combine(Arbitraries.doubles().between(40, 300),
                Arbitraries.doubles().between(20, 200)).as((s, d) -> new BloodPressureReading("trigger", NOW, s, d));
        return Combinators.combine(trigger, readings().list().ofMaxSize(4), autonomy, changes, clinical)
                .as((t, earlier, a, c, k) -> {
                    List<BloodPressureReading> recent = new ArrayList<>(earlier);
                    recent.add(t);
                    return new DecisionContext(t, recent, a, c, k, NOW);
                });
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<ProposedStep> steps = Combinators.combine(Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(-3, 3), Arbitraries.doubles().between(0.0, 1.0))
                .as((from, change, p) -> new ProposedStep(from, from + change, p));
        return Combinators.combine(bounds(), steps, contexts()).as(Case::new);
    }

    @Property(tries = 100_000)
    void automaticDeliveryOnlyInsideTheActiveBoundsAndHardLimits(@ForAll("cases") Case c) {
        TierDecision d = rules.evaluate(c.step(), c.bounds(), LIMITS, c.context());
        if (d.tier() == Tier.AUTO) {
            SafetyBounds b = c.bounds();
            DecisionContext x = c.context();
            int to = c.step().toStep();
            assertThat(LIMITS.violations(b)).as("bounds used for AUTO are valid").isEmpty();
            assertThat(b.autonomyEnabled()).isTrue();
            assertThat(x.autonomy().earned()).isTrue();
            assertThat(to).isBetween(Math.max(0, b.lowestStep()), Math.min(LIMITS.ladder().highestStep(), b.highestStep()));
            assertThat(Math.abs(c.step().change())).isBetween(1, b.maxAutoSteps());
            assertThat(c.step().probability()).isGreaterThanOrEqualTo(b.minConfidence());
            assertThat(x.reading().isHypertensiveCrisis()).isFalse();
            assertThat(x.reading().systolic()).isGreaterThanOrEqualTo(b.systolicFloor());
            assertThat(x.daysSinceLastAutoChange()).isGreaterThanOrEqualTo(b.minDaysBetweenAutoChanges());
            assertThat(x.changes().last30Days()).isLessThan(b.maxAutoChangesPer30Days());
            assertThat(x.clinical().pregnant()).isNotEqualTo(Boolean.TRUE);
            assertThat(x.clinical().hypotensionSymptom()).as("no AUTO after a reported dizzy spell").isNull();
        }
    }

    @Property(tries = 20_000)
    void aReportedSymptomOfHypotensionAlwaysAlertsAndNeverAutoDelivers(@ForAll("cases") Case c) {
        TierDecision d = rules.evaluate(c.step(), c.bounds(), LIMITS, c.context());
        if (c.context().clinical().hypotensionSymptom() != null) {
            assertThat(d.tier()).isNotEqualTo(Tier.AUTO);
            assertThat(d.alerts()).extracting(Alert::code).contains("hypotension-symptoms");
        }
    }

    @Property(tries = 20_000)
    void nothingOutsideTheHardLimitsIsEverDeliverableOrQueued(@ForAll("cases") Case c) {
        TierDecision d = rules.evaluate(c.step(), c.bounds(), LIMITS, c.context());
        if (!LIMITS.allows(c.step().toStep())) {
            assertThat(d.tier()).isEqualTo(Tier.BLOCKED);
        }
    }

    @Property(tries = 20_000)
    void aConfirmedCrisisAlwaysAlertsAndNeverAutoDelivers(@ForAll("cases") Case c) {
        TierDecision d = rules.evaluate(c.step(), c.bounds(), LIMITS, c.context());
        if (c.context().reading().isHypertensiveCrisis()) {
            assertThat(d.tier()).isIn(Tier.NEEDS_APPROVAL, Tier.BLOCKED);
            if (c.context().crisisConfirmed(LIMITS.crisisConfirmation())) {
                assertThat(d.alerts()).extracting(Alert::code).contains(Alert.HYPERTENSIVE_CRISIS);
            }
        }
    }

    @Property(tries = 20_000)
    void theRulesAgreeWithTheHandWrittenCheckOnAutomaticDelivery(@ForAll("cases") Case c) {
        TierDecision d = rules.evaluate(c.step(), c.bounds(), LIMITS, c.context());
        boolean java = BoundsCheck.autonomousAllowed(c.step(), c.bounds(), LIMITS, c.context());
        assertThat(d.tier() == Tier.AUTO).as("rules %s vs Java check %s", d.fired(), java).isEqualTo(java);
        assertThat(d.ruleNames()).doesNotContain(SafetyRules.SAFETY_NET);
    }

    /**
     * An approval is a decision taken later than the proposal, so it is checked again in the
     * context of its own time (the same re-check as a modification): whatever a queued proposal
     * was, once a contraindication is on record or the step leaves the hard limits, approving the
     * increase is refused; and an approval the re-check lets through never raises a dose against
     * one.
     */
    @Property(tries = 20_000)
    void anApprovalThatTheRulesNowBlockIsRefused(@ForAll("cases") Case queued, @ForAll("contexts") DecisionContext now) {
        ProposedStep step = queued.step();
        TierDecision check = rules.evaluate(new ProposedStep(step.fromStep(), step.toStep(), 1.0), queued.bounds(),
                LIMITS, now);
        List<String> refusals = ApprovalQueue.modificationRefusals(check, step.toStep(), LIMITS);
        if (refusals.isEmpty()) {
            assertThat(LIMITS.allows(step.toStep())).isTrue();
            if (step.change() >= 0 && step.change() != 0) {
                ClinicalContext k = now.clinical();
                assertThat(k.pregnant()).as("no increase in pregnancy").isNotEqualTo(Boolean.TRUE);
                assertThat(k.potassium() == null || k.potassium() <= LIMITS.potassiumMax())
                        .as("no increase with potassium %s", k.potassium()).isTrue();
                assertThat(k.egfrDropPercent() == null || k.egfrDropPercent() <= LIMITS.egfrDropMaxPercent())
                        .as("no increase with eGFR falling %s%%", k.egfrDropPercent()).isTrue();
            }
        } else {
            assertThat(refusals).allSatisfy(r -> assertThat(r).isNotBlank());
        }
    }

    /** A clinician action on a queued proposal: approve as proposed, choose another step, or reject. */
    record Action(int kind, int chosenStep) {
    }

    /**
     * Sequences of decisions and clinician actions on one patient, run through the same rules,
     * autonomy and modification checks the services use: every delivered dose stays inside the
     * hard limits; every automatic one was inside the bounds and earned; every other one carries a
     * clinician's decision.
     */
    @Property(tries = 5_000)
    void noSequenceOfDecisionsAndClinicianActionsLeavesTheLimits(
            @ForAll("bounds") SafetyBounds bounds, @ForAll("contexts") DecisionContext first,
            @ForAll("actions") List<Action> actions, @ForAll("probabilities") List<Double> probabilities) {
        int step = 2;
        AutonomyState autonomy = first.autonomy();
        Instant lastAuto = null;
        int autoCount = 0;
        for (int i = 0; i < actions.size(); i++) {
            Instant now = NOW.plus(Duration.ofDays(i));
            DecisionContext context = new DecisionContext(first.reading(), first.recent(), autonomy,
                    new AutoChangeHistory(lastAuto, autoCount), first.clinical(), now);
            double p = probabilities.get(i % probabilities.size());
            // The model proposes up to two steps either way.
            int change = p < 0.15 ? -2 : p < 0.35 ? -1 : p < 0.65 ? 0 : p < 0.85 ? 1 : 2;
            ProposedStep proposal = new ProposedStep(step, step + change, p);
            TierDecision d = rules.evaluate(proposal, bounds, LIMITS, context);
            if (!d.alerts().isEmpty()) {
                autonomy = autonomy.reset();
            }
            Action a = actions.get(i);
            switch (d.tier()) {
                case AUTO -> {
                    assertThat(BoundsCheck.autonomousAllowed(proposal, bounds, LIMITS, context)).isTrue();
                    step = proposal.toStep();
                    lastAuto = now;
                    autoCount++;
                }
                case NEEDS_APPROVAL -> {
                    if (a.kind() == 0 && proposal.change() != 0) {
                        assertThat(LIMITS.allows(proposal.toStep())).as("queued proposals are inside the ladder").isTrue();
                        step = proposal.toStep();
                        autonomy = autonomy.approvedUnmodified();
                    } else if (a.kind() == 1 && a.chosenStep() != step) {
                        TierDecision check = rules.evaluate(new ProposedStep(step, a.chosenStep(), 1.0), bounds, LIMITS,
                                context);
                        if (ApprovalQueue.modificationRefusals(check, a.chosenStep(), LIMITS).isEmpty()) {
                            step = a.chosenStep();
                        }
                        autonomy = autonomy.reset();
                    } else {
                        autonomy = autonomy.reset();
                    }
                }
                case BLOCKED, NO_CHANGE -> {
                    // nothing is delivered
                }
            }
            assertThat(LIMITS.allows(step)).as("delivered dose step %d inside the hard limits", step).isTrue();
        }
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(-2, 7))
                .as(Action::new).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Double>> probabilities() {
        return Arbitraries.doubles().between(0, 1).list().ofMinSize(1).ofMaxSize(12);
    }
}
