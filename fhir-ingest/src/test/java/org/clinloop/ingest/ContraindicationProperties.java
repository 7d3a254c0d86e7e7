package org.clinloop.ingest;

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
import org.clinloop.approval.AutoChangeHistory;
import org.clinloop.approval.AutonomyState;
import org.clinloop.approval.ClinicalContext;
import org.clinloop.approval.DecisionContext;
import org.clinloop.approval.ProposedStep;
import org.clinloop.approval.ProtocolLimits;
import org.clinloop.approval.SafetyBounds;
import org.clinloop.approval.SafetyRules;
import org.clinloop.approval.Tier;
import org.clinloop.approval.TierDecision;
import org.clinloop.recommendation.BloodPressureReading;

/**
 * Issue 14's safety case for the inputs of the contraindication rules: whatever a patient (or a
 * sender never recorded) sends, in any order, with any values and times, a contraindication a
 * trusted source established stays, and an increase the rules block never becomes AUTO. The
 * rules are the shipped Drools rules ({@link SafetyRules#standard()}), run in-process as
 * approval-workflow's {@code SafetyInvariantProperties} runs them.
 */
class ContraindicationProperties {

    static final ProtocolLimits LIMITS = ProtocolLimits.HYPERTENSION_ACEI;
    static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");
    static final String NOT_PREGNANT = "60001007";
    static final String COUGH = "49727002";
    static SafetyRules rules;

    @BeforeContainer
    static void compile() {
        rules = SafetyRules.standard();
    }

    // --- what may be sent -----------------------------------------------------------------

    /** Any time from 500 days before {@code NOW} to an hour after it (a clock ahead). */
    static Arbitrary<Instant> times() {
        return Arbitraries.longs().between(-60, 500L * 24 * 60).map(m -> NOW.minus(Duration.ofMinutes(m)));
    }

    /** Times where a value counts: inside every kind's window. */
    static Arbitrary<Instant> recent() {
        return Arbitraries.longs().between(0, 60L * 24 * 60).map(m -> NOW.minus(Duration.ofMinutes(m)));
    }

    static Arbitrary<ObservationSource> untrusted() {
        return Arbitraries.of(ObservationSource.PATIENT, ObservationSource.DEVICE_GATEWAY, ObservationSource.UNKNOWN,
                ObservationSource.SYSTEM);
    }

    static Arbitrary<ObservationSource> anySource() {
        return Arbitraries.of(ObservationSource.values());
    }

    /** Any observation of the four kinds, from {@code sources}. */
    static Arbitrary<LabEvidence> evidence(Arbitrary<ObservationSource> sources) {
        Arbitrary<LabEvidence> potassium = Combinators.combine(times(), Arbitraries.doubles().between(1.5, 10), sources)
                .as((t, v, s) -> new LabEvidence(ObservationKind.POTASSIUM, t, v, null, s));
        Arbitrary<LabEvidence> egfr = Combinators.combine(times(), Arbitraries.doubles().between(1, 250), sources)
                .as((t, v, s) -> new LabEvidence(ObservationKind.EGFR, t, v, null, s));
        Arbitrary<LabEvidence> pregnancy = Combinators.combine(times(),
                        Arbitraries.of(ObservationKind.PREGNANT, NOT_PREGNANT, "261665006"), sources)
                .as((t, c, s) -> new LabEvidence(ObservationKind.PREGNANCY_STATUS, t, null, c, s));
        Arbitrary<LabEvidence> symptom = Combinators.combine(Arbitraries.longs().between(-60, 5L * 24 * 60)
                                .map(m -> NOW.minus(Duration.ofMinutes(m))),
                        Arbitraries.of("404640003", "386705008", "271594007", "427461000", COUGH), sources)
                .as((t, c, s) -> new LabEvidence(ObservationKind.SYMPTOM, t, null, c, s));
        return Arbitraries.oneOf(potassium, egfr, pregnancy, symptom);
    }

    /** Patient-sent (or unrecorded) values, of every kind, in random order. */
    @Provide
    Arbitrary<List<LabEvidence>> untrustedSequences() {
        return evidence(untrusted()).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<LabEvidence>> anyEvidence() {
        return evidence(anySource()).list().ofMaxSize(12);
    }

    /** A trusted value that contraindicates an increase on its own. */
    @Provide
    Arbitrary<List<LabEvidence>> trustedContraindication() {
        Arbitrary<ObservationSource> trusted = Arbitraries.of(ObservationSource.EHR_SYSTEM, ObservationSource.CLINICIAN);
        Arbitrary<List<LabEvidence>> potassium = Combinators.combine(recent(), Arbitraries.doubles().between(5.51, 10),
                trusted).as((t, v, s) -> List.of(new LabEvidence(ObservationKind.POTASSIUM, t, v, null, s)));
        Arbitrary<List<LabEvidence>> pregnant = Combinators.combine(recent(), trusted)
                .as((t, s) -> List.of(new LabEvidence(ObservationKind.PREGNANCY_STATUS, t, null, ObservationKind.PREGNANT, s)));
        // A baseline up to a year before, then a value more than 30 % below it.
        Arbitrary<List<LabEvidence>> egfr = Combinators.combine(recent(), Arbitraries.longs().between(0, 364L * 24 * 60),
                        Arbitraries.doubles().between(30, 200), Arbitraries.doubles().between(0.31, 0.9), trusted, trusted)
                .as((t, before, base, fall, s1, s2) -> List.of(
                        new LabEvidence(ObservationKind.EGFR, t.minus(Duration.ofMinutes(before)), base, null, s1),
                        new LabEvidence(ObservationKind.EGFR, t, Math.max(1, base * (1 - fall)), null, s2)));
        return Arbitraries.oneOf(potassium, pregnant, egfr);
    }

    // --- the properties -------------------------------------------------------------------

    @Property(tries = 20_000)
    void noSequenceOfPatientSentValuesClearsATrustedContraindication(
            @ForAll("trustedContraindication") List<LabEvidence> trusted,
            @ForAll("untrustedSequences") List<LabEvidence> sent) {
        assertThat(contraindicated(trusted)).as("the trusted value alone contraindicates").isTrue();
        assertThat(contraindicated(with(trusted, sent))).as("after " + sent).isTrue();
    }

    @Property(tries = 20_000)
    void untrustedValuesOnlyEverAddToWhatTheRulesSee(@ForAll("anyEvidence") List<LabEvidence> before,
                                                     @ForAll("untrustedSequences") List<LabEvidence> sent) {
        ClinicalContext was = new Contraindications(before).at(NOW);
        ClinicalContext now = new Contraindications(with(before, sent)).at(NOW);
        if (was.potassium() != null) {
            assertThat(now.potassium()).isGreaterThanOrEqualTo(was.potassium());
        }
        if (was.egfrDropPercent() != null) {
            assertThat(now.egfrDropPercent()).isGreaterThanOrEqualTo(was.egfrDropPercent());
        }
        if (Boolean.TRUE.equals(was.pregnant())) {
            assertThat(now.pregnant()).isTrue();
        }
        if (was.hypotensionSymptom() != null) {
            assertThat(now.hypotensionSymptom()).as("a later report of anything else does not hide it").isNotNull();
        }
        if (now.pregnant() == Boolean.FALSE) {
            assertThat(now.provenance().pregnant()).as("only a trusted source says 'not pregnant'")
                    .matches("(ehr-system|clinician) at .*");
        }
    }

    @Property(tries = 20_000)
    void anIncreaseTheRulesBlockNeverBecomesAutoWhateverThePatientSends(
            @ForAll("anyEvidence") List<LabEvidence> before, @ForAll("untrustedSequences") List<LabEvidence> sent,
            @ForAll("increases") ProposedStep step, @ForAll("bounds") SafetyBounds bounds) {
        TierDecision was = decide(step, bounds, new Contraindications(before).at(NOW));
        TierDecision now = decide(step, bounds, new Contraindications(with(before, sent)).at(NOW));
        if (was.tier() == Tier.BLOCKED) {
            assertThat(now.tier()).as(now.fired().toString()).isEqualTo(Tier.BLOCKED);
        }
        if (was.tier() != Tier.AUTO) {
            assertThat(now.tier()).as(now.fired().toString()).isNotEqualTo(Tier.AUTO);
        }
    }

    @Property(tries = 10_000)
    void aTrustedContraindicationBlocksEveryIncreaseWhateverThePatientSends(
            @ForAll("trustedContraindication") List<LabEvidence> trusted,
            @ForAll("untrustedSequences") List<LabEvidence> sent,
            @ForAll("increases") ProposedStep step, @ForAll("bounds") SafetyBounds bounds) {
        TierDecision d = decide(step, bounds, new Contraindications(with(trusted, sent)).at(NOW));
        assertThat(d.tier()).as(d.fired().toString()).isEqualTo(Tier.BLOCKED);
        assertThat(d.fired().toString()).containsAnyOf("(ehr-system at", "(clinician at", "(patient at", "(unknown at",
                "(system at", "(device-gateway at");
    }

    // --- helpers --------------------------------------------------------------------------

    @Provide
    Arbitrary<ProposedStep> increases() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 2),
                Arbitraries.doubles().between(0.5, 1.0)).as((from, up, p) -> new ProposedStep(from, from + up, p));
    }

    /** Bounds that would let an increase go AUTO were it not for the contraindications. */
    @Provide
    Arbitrary<SafetyBounds> bounds() {
        return Combinators.combine(Arbitraries.integers().between(1, 2), Arbitraries.doubles().between(90, 110),
                        Arbitraries.doubles().between(0.5, 0.6))
                .as((maxAuto, floor, conf) -> new SafetyBounds("p", 1, LIMITS.protocol(), 0, 4, maxAuto, floor, conf,
                        true, 3, 4, "dr.test", Instant.EPOCH));
    }

    static TierDecision decide(ProposedStep step, SafetyBounds bounds, ClinicalContext clinical) {
        BloodPressureReading reading = new BloodPressureReading("trigger", NOW, 150, 95);
        DecisionContext context = new DecisionContext(reading, List.of(reading), new AutonomyState(3, 3, true),
                AutoChangeHistory.NONE, clinical, NOW);
        return rules.evaluate(step, bounds, LIMITS, context);
    }

    static boolean contraindicated(List<LabEvidence> evidence) {
        ClinicalContext c = new Contraindications(evidence).at(NOW);
        return Boolean.TRUE.equals(c.pregnant())
                || c.potassium() != null && c.potassium() > LIMITS.potassiumMax()
                || c.egfrDropPercent() != null && c.egfrDropPercent() > LIMITS.egfrDropMaxPercent();
    }

    static List<LabEvidence> with(List<LabEvidence> a, List<LabEvidence> b) {
        List<LabEvidence> all = new ArrayList<>(a);
        all.addAll(b);
        java.util.Collections.shuffle(all, new java.util.Random(all.size()));
        return all;
    }
}
