package org.clinloop.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.clinloop.recommendation.BloodPressureReading;

/**
 * The safety case as properties over random bounds, regimens, readings and model outputs: the
 * rules never let a change reach a patient on its own unless it lies inside the active bounds,
 * never let anything past the protocol's hard limits, and always raise the crisis alert.
 */
class SafetyInvariantProperties {

    static final ProtocolLimits LIMITS = ProtocolLimits.HYPERTENSION_ACEI;
    static SafetyRules rules;

    @BeforeContainer
    static void compile() {
        rules = SafetyRules.standard();
    }

    record Case(SafetyBounds bounds, ProposedStep step, BloodPressureReading reading) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<SafetyBounds> bounds = Combinators.combine(
                Arbitraries.integers().between(-1, 5), Arbitraries.integers().between(-1, 5),
                Arbitraries.integers().between(-1, 3), Arbitraries.doubles().between(60, 160),
                Arbitraries.doubles().between(0.0, 1.0), Arbitraries.of(true, false))
                .as((lo, hi, maxAuto, floor, conf, auto) -> new SafetyBounds("p", 1, LIMITS.protocol(), lo, hi, maxAuto,
                        floor, conf, auto, "dr.test", Instant.EPOCH));
        Arbitrary<ProposedStep> steps = Combinators.combine(Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(-3, 3), Arbitraries.doubles().between(0.0, 1.0))
                .as((from, change, p) -> new ProposedStep(from, from + change, p));
        Arbitrary<BloodPressureReading> readings = Combinators.combine(Arbitraries.doubles().between(40, 300),
                        Arbitraries.doubles().between(20, 200))
                .as((s, d) -> new BloodPressureReading("o", Instant.EPOCH, s, d));
        return Combinators.combine(bounds, steps, readings).as(Case::new);
    }

    @Property(tries = 20_000)
    void automaticDeliveryOnlyInsideTheActiveBoundsAndHardLimits(@ForAll("cases") Case c) {
        TierDecision d = rules.evaluate(c.step(), c.bounds(), LIMITS, c.reading());
        if (d.tier() == Tier.AUTO) {
            SafetyBounds b = c.bounds();
            int to = c.step().toStep();
            assertThat(LIMITS.violations(b)).as("bounds used for AUTO are valid").isEmpty();
            assertThat(b.autonomyEnabled()).isTrue();
            assertThat(to).isBetween(Math.max(0, b.lowestStep()), Math.min(LIMITS.ladder().highestStep(), b.highestStep()));
            assertThat(Math.abs(c.step().change())).isBetween(1, b.maxAutoSteps());
            assertThat(c.step().probability()).isGreaterThanOrEqualTo(b.minConfidence());
            assertThat(c.reading().isHypertensiveCrisis()).isFalse();
            assertThat(c.reading().systolic()).isGreaterThanOrEqualTo(b.systolicFloor());
        }
    }

    @Property(tries = 20_000)
    void nothingOutsideTheHardLimitsIsEverDeliverableOrQueued(@ForAll("cases") Case c) {
        TierDecision d = rules.evaluate(c.step(), c.bounds(), LIMITS, c.reading());
        if (!LIMITS.allows(c.step().toStep())) {
            assertThat(d.tier()).isEqualTo(Tier.BLOCKED);
        }
    }

    @Property(tries = 10_000)
    void aCrisisReadingAlwaysRaisesAnUrgentAlertAndNeverAutoDelivers(@ForAll("cases") Case c) {
        TierDecision d = rules.evaluate(c.step(), c.bounds(), LIMITS, c.reading());
        if (c.reading().isHypertensiveCrisis()) {
            assertThat(d.alerts()).extracting(Alert::code).contains(Alert.HYPERTENSIVE_CRISIS);
            assertThat(d.tier()).isIn(Tier.NEEDS_APPROVAL, Tier.BLOCKED);
        }
    }

    @Property(tries = 10_000)
    void theRulesAgreeWithTheHandWrittenCheckOnAutomaticDelivery(@ForAll("cases") Case c) {
        TierDecision d = rules.evaluate(c.step(), c.bounds(), LIMITS, c.reading());
        boolean java = BoundsCheck.autonomousAllowed(c.step(), c.bounds(), LIMITS, c.reading());
        assertThat(d.tier() == Tier.AUTO).as("rules %s vs Java check %s", d.fired(), java).isEqualTo(java);
        assertThat(d.ruleNames()).doesNotContain(SafetyRules.SAFETY_NET);
    }
}
