package org.clinloop.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-computed cases for every definition. */
class FairnessAuditTest {

    /**
     * Group a: tp 3, fp 1, tn 4, fn 2 (10 rows); group b: tp 1, fp 3, tn 1, fn 0 (5 rows);
     * group c: tp 0, fp 0, tn 2, fn 0 (2 rows, no predicted positives, no label positives).
     */
    static FairnessTable table() {
        FairnessTable t = new FairnessTable(List.of("g"));
        add(t, "a", 3, 1, 4, 2);
        add(t, "b", 1, 3, 1, 0);
        add(t, "c", 0, 0, 2, 0);
        return t;
    }

    static void add(FairnessTable t, String group, int tp, int fp, int tn, int fn) {
        for (int i = 0; i < tp; i++) {
            t.add(true, true, group);
        }
        for (int i = 0; i < fp; i++) {
            t.add(true, false, group);
        }
        for (int i = 0; i < tn; i++) {
            t.add(false, false, group);
        }
        for (int i = 0; i < fn; i++) {
            t.add(false, true, group);
        }
    }

    static FairnessReport.GroupAudit group(FairnessReport r, String attribute, String group) {
        return r.attributes().stream().filter(a -> a.attribute().equals(attribute)).findFirst().orElseThrow()
                .groups().stream().filter(g -> g.group().equals(group)).findFirst().orElseThrow();
    }

    @Test
    void everyRateAsAequitasDefinesIt() {
        FairnessReport r = FairnessAudit.audit(table(), AuditSettings.AEQUITAS_DEFAULTS);
        assertThat(r.k()).isEqualTo(8);
        FairnessReport.GroupAudit a = group(r, "g", "a");
        assertThat(a.counts()).isEqualTo(new Counts(3, 1, 4, 2));
        Map<Metric, Ratio> m = a.metrics();
        assertThat(m.get(Metric.TPR)).isEqualTo(new Ratio(3, 5));
        assertThat(m.get(Metric.TNR)).isEqualTo(new Ratio(4, 5));
        assertThat(m.get(Metric.FOR)).isEqualTo(new Ratio(2, 6));
        assertThat(m.get(Metric.FDR)).isEqualTo(new Ratio(1, 4));
        assertThat(m.get(Metric.FPR)).isEqualTo(new Ratio(1, 5));
        assertThat(m.get(Metric.FNR)).isEqualTo(new Ratio(2, 5));
        assertThat(m.get(Metric.NPV)).isEqualTo(new Ratio(4, 6));
        assertThat(m.get(Metric.PRECISION)).isEqualTo(new Ratio(3, 4));
        assertThat(m.get(Metric.PPR)).isEqualTo(new Ratio(4, 8));
        assertThat(m.get(Metric.PPREV)).isEqualTo(new Ratio(4, 10));
        assertThat(m.get(Metric.PREVALENCE)).isEqualTo(new Ratio(5, 10));
    }

    @Test
    void divisionByZeroIsUndefinedAndSoAreItsDisparitiesAndParities() {
        FairnessReport r = FairnessAudit.audit(table(), AuditSettings.AEQUITAS_DEFAULTS);
        FairnessReport.GroupAudit c = group(r, "g", "c");
        assertThat(c.metrics().get(Metric.TPR).defined()).isFalse();
        assertThat(c.metrics().get(Metric.PRECISION).value()).isNull();
        assertThat(c.disparities().get(Metric.TPR).ratio()).isNull();
        assertThat(c.parity().get(Parity.TPR)).isNull();
        assertThat(c.metrics().get(Metric.FPR)).isEqualTo(new Ratio(0, 2));
        assertThat(c.disparities().get(Metric.FPR).ratio()).isZero();
        assertThat(c.parity().get(Parity.FPR)).isFalse();
        assertThat(c.parity().get(Parity.EQUALIZED_ODDS)).as("false dominates undefined").isFalse();
        assertThat(c.parity().get(Parity.TYPE_II)).as("FOR 0/2 vs ref 2/6 is false").isFalse();
    }

    @Test
    void disparitiesAgainstTheMajorityGroupAndTheirParity() {
        FairnessReport r = FairnessAudit.audit(table(), AuditSettings.AEQUITAS_DEFAULTS);
        FairnessReport.GroupAudit b = group(r, "g", "b");
        assertThat(b.disparities().get(Metric.FPR).reference()).isEqualTo("a");
        // b: fpr 3/4, a: fpr 1/5 → 3.75; tpr 1/1 vs 3/5 → 1.6667; ppr 4/8 vs 4/8 → 1
        assertThat(b.disparities().get(Metric.FPR).ratio()).isCloseTo(3.75, within(1e-12));
        assertThat(b.disparities().get(Metric.TPR).ratio()).isCloseTo(5 / 3.0, within(1e-12));
        assertThat(b.disparities().get(Metric.PPR).ratio()).isEqualTo(1.0);
        assertThat(b.parity().get(Parity.STATISTICAL)).isTrue();
        assertThat(b.parity().get(Parity.FPR)).isFalse();
        assertThat(b.parity().get(Parity.EQUALIZED_ODDS)).isFalse();
        FairnessReport.GroupAudit a = group(r, "g", "a");
        assertThat(a.disparities().get(Metric.FPR).ratio()).isEqualTo(1.0);
        assertThat(a.disparities().get(Metric.FPR).significant()).isFalse();
    }

    @Test
    void theMinMetricReferenceIsChosenPerMetric() {
        FairnessReport r = FairnessAudit.audit(table(),
                AuditSettings.AEQUITAS_DEFAULTS.withReference(ReferencePolicy.MIN_METRIC, Map.of()));
        Map<Metric, String> refs = r.attributes().get(0).references();
        assertThat(refs.get(Metric.FPR)).isEqualTo("c");   // 0/2
        assertThat(refs.get(Metric.TPR)).isEqualTo("a");   // 3/5 (c undefined)
        assertThat(refs.get(Metric.PPREV)).isEqualTo("c"); // 0/2
    }

    @Test
    void fisherExactTestGivesTheTextbookValue() {
        // Fisher's "lady tasting tea": [[3, 1], [1, 3]] has two-sided p = 34/70 = 0.4857.
        FairnessTable t = new FairnessTable(List.of("g"));
        add(t, "x", 3, 0, 0, 1); // tpr 3/4
        add(t, "y", 1, 0, 0, 3); // tpr 1/4
        FairnessReport r = FairnessAudit.audit(t, AuditSettings.AEQUITAS_DEFAULTS
                .withReference(ReferencePolicy.NAMED, Map.of("g", "y")));
        FairnessReport.Disparity d = group(r, "g", "x").disparities().get(Metric.TPR);
        assertThat(d.pValue()).isCloseTo(34 / 70.0, within(1e-9));
        assertThat(d.significant()).isFalse();
        assertThat(group(r, "g", "x").disparities().get(Metric.PPR).pValue()).as("PPR is not tested").isNull();
    }

    @Test
    void theLargeSampleTestAgreesWithFisherWhereItTakesOver() {
        // Expected counts just over the switch: chi-square and Fisher's exact give nearly the same p.
        long a = 1300;
        long b = 1000;
        long c = 1200;
        long d = 1100;
        double chi = FairnessAudit.pValue(a, b, c, d);
        double fisher = org.apache.commons.statistics.inference.FisherExactTest.withDefaults()
                .test(new int[][] {{(int) a, (int) b}, {(int) c, (int) d}}).getPValue();
        assertThat(chi).isCloseTo(fisher, within(1e-3));
        assertThat(FairnessAudit.pValue(3, 1, 1, 3)).as("small tables stay exact").isCloseTo(34 / 70.0, within(1e-12));
    }

    @Test
    void smallGroupsAreSuppressedAndLeftOutOfParity() {
        FairnessReport r = FairnessAudit.audit(table(), AuditSettings.AEQUITAS_DEFAULTS.withMinGroupSize(3));
        FairnessReport.GroupAudit c = group(r, "g", "c");
        assertThat(c.suppressed()).isTrue();
        assertThat(c.counts()).isNull();
        assertThat(c.metrics()).isEmpty();
        assertThat(ReportFormats.json(r).toString()).contains("group=c, size=suppressed");
        assertThat(ReportFormats.csv(r)).contains("g,c,suppressed");
    }

    @Test
    void intersectionsAreAuditedLikeAttributes() {
        FairnessTable t = new FairnessTable(List.of("sex", "race"));
        t.add(true, true, "F", "A");
        t.add(false, false, "F", "B");
        t.add(true, false, "M", "A");
        t.add(true, true, "M", "A");
        FairnessReport r = FairnessAudit.audit(t, AuditSettings.AEQUITAS_DEFAULTS.withIntersections(List.of(List.of("sex", "race"))));
        assertThat(r.attributes()).extracting(FairnessReport.AttributeAudit::attribute).containsExactly("sex", "race", "sex×race");
        assertThat(group(r, "sex×race", "M×A").counts()).isEqualTo(new Counts(1, 1, 0, 0));
        assertThat(r.attributes().get(2).groups()).extracting(FairnessReport.GroupAudit::group)
                .containsExactly("F×A", "F×B", "M×A");
    }

    @Test
    void aBadCsvValueIsRefusedWithItsLine() {
        assertThatThrownBy(() -> AequitasCsv.read(new StringReader("score,label_value,race\n1,0,A\n0.5,1,B\n")))
                .hasMessage("Line 3: expected score 0 or 1, found \"0.5\".");
        assertThatThrownBy(() -> AequitasCsv.read(new StringReader("score,race\n1,A\n")))
                .hasMessageContaining("Expected columns score and label_value");
    }

    @Test
    void csvQuotingAndMissingValuesAreHandled() throws Exception {
        FairnessTable t = AequitasCsv.read(new StringReader(
                "entity_id,score,label_value,race,city\n1,1.0,1,\"A, with comma\",\n2,0.0,0,B,\"Q\"\"x\"\n"));
        assertThat(t.attributes()).containsExactly("race", "city");
        FairnessReport r = FairnessAudit.audit(t, AuditSettings.AEQUITAS_DEFAULTS);
        assertThat(group(r, "race", "A, with comma").size()).isEqualTo(1);
        assertThat(group(r, "city", FairnessTable.MISSING).size()).isEqualTo(1);
        assertThat(group(r, "city", "Q\"x").size()).isEqualTo(1);
    }
}
