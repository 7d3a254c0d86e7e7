package org.clinloop.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clinloop.approval.DecisionLedger;
import org.clinloop.approval.DecisionRecord;
import org.clinloop.approval.TaskStatus;
import org.clinloop.approval.Tier;
import org.junit.jupiter.api.Test;

/** The ClinLoop audits over a hand-made ledger: who got automatic steps, approvals, and how fast. */
class ClinicalFairnessTest {

    static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");

    static ClinicalFairness with(List<DecisionRecord> decisions, Map<String, Boolean> uncontrolled) {
        ClinicalFairness f = new ClinicalFairness();
        f.ledger = new DecisionLedger() {
            @Override
            public List<DecisionRecord> between(Instant from, Instant to) {
                return decisions;
            }
        };
        f.attributes = id -> Optional.of(new PatientAttributes.Profile(id.startsWith("f") ? "female" : "male",
                LocalDate.of(id.endsWith("old") ? 1940 : 1980, 1, 1), null, null, "wrist-ppg"));
        f.outcomes = (id, from, to) -> Optional.ofNullable(uncontrolled.get(id));
        return f;
    }

    static DecisionRecord decision(String patient, String direction, Tier tier, TaskStatus task, Duration toDecision) {
        return new DecisionRecord(patient + "-" + direction + "-" + tier, patient, T0, direction, "m-1", tier, task,
                toDecision == null ? null : T0.plus(toDecision), task == TaskStatus.REJECTED ? "CLINICAL_JUDGEMENT" : null,
                false, List.of());
    }

    @Test
    void theHumanLoopRatesAndDecisionTimesPerGroup() {
        List<DecisionRecord> d = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            d.add(decision("f" + i, "INCREASE", Tier.AUTO, null, null));
            d.add(decision("m" + i, "INCREASE", Tier.NEEDS_APPROVAL, TaskStatus.APPROVED, Duration.ofHours(2 + i)));
        }
        d.add(decision("f9", "INCREASE", Tier.NEEDS_APPROVAL, TaskStatus.REJECTED, Duration.ofHours(30)));
        HumanLoopReport r = with(d, Map.of()).humanLoop(T0.minusSeconds(1), T0.plusSeconds(1),
                AuditSettings.AEQUITAS_DEFAULTS);

        assertThat(r.proposals()).isEqualTo(13);
        FairnessReport auto = r.rates().get("AUTO_RATE");
        FairnessReport.GroupAudit female = FairnessAuditTest.group(auto, "sex", "female");
        FairnessReport.GroupAudit male = FairnessAuditTest.group(auto, "sex", "male");
        assertThat(female.metrics().get(Metric.PPREV)).isEqualTo(new Ratio(6, 7));
        assertThat(male.metrics().get(Metric.PPREV)).isEqualTo(new Ratio(0, 6));
        assertThat(female.parity().get(Parity.IMPACT)).as("the reference, the larger group").isTrue();
        assertThat(male.disparities().get(Metric.PPREV).ratio()).isZero();
        assertThat(male.parity().get(Parity.IMPACT)).isFalse();
        assertThat(male.disparities().get(Metric.PPREV).significant()).isTrue();
        FairnessReport approval = r.rates().get("APPROVAL_RATE");
        assertThat(FairnessAuditTest.group(approval, "sex", "male").metrics().get(Metric.PPREV)).isEqualTo(new Ratio(6, 6));
        assertThat(FairnessAuditTest.group(approval, "sex", "female").metrics().get(Metric.PPREV)).isEqualTo(new Ratio(0, 1));

        HumanLoopReport.DurationAudit bySex = r.decisionTime().get(0);
        assertThat(bySex.attribute()).isEqualTo("sex");
        assertThat(bySex.reference()).isEqualTo("male");
        HumanLoopReport.GroupDuration men = bySex.groups().stream().filter(g -> g.group().equals("male")).findFirst().orElseThrow();
        assertThat(men.medianHours()).isCloseTo(4.5, within(1e-9));
        HumanLoopReport.GroupDuration women = bySex.groups().stream().filter(g -> g.group().equals("female")).findFirst().orElseThrow();
        assertThat(women.ratio()).isCloseTo(30 / 4.5, within(1e-9));
        assertThat(women.pValue()).isBetween(0.0, 1.0);
    }

    @Test
    void theModelAuditCountsOnlyProposalsWhoseOutcomeIsKnown() {
        List<DecisionRecord> d = List.of(
                decision("f1", "INCREASE", Tier.AUTO, null, null),
                decision("f2", "HOLD", Tier.NO_CHANGE, null, null),
                decision("m1old", "INCREASE", Tier.AUTO, null, null),
                decision("m2", "HOLD", Tier.NO_CHANGE, null, null));
        FairnessReport r = with(d, Map.of("f1", true, "f2", false, "m1old", false))
                .model(T0.minusSeconds(1), T0.plusSeconds(1), AuditSettings.AEQUITAS_DEFAULTS);

        assertThat(r.rows()).as("m2 has no readings in its outcome window").isEqualTo(3);
        assertThat(FairnessAuditTest.group(r, "sex", "female").counts()).isEqualTo(new Counts(1, 0, 1, 0));
        assertThat(FairnessAuditTest.group(r, "sex", "male").counts()).isEqualTo(new Counts(0, 1, 0, 0));
        assertThat(FairnessAuditTest.group(r, "age_band", "75+").size()).isEqualTo(1);
        assertThat(FairnessAuditTest.group(r, "race", FairnessTable.MISSING).size()).isEqualTo(3);
    }
}
