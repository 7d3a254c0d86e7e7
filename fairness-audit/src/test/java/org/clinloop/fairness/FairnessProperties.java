package org.clinloop.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Invariants over random tables. */
class FairnessProperties {

    static FairnessTable table(List<@IntRange(min = 0, max = 15) Integer> cells) {
        FairnessTable t = new FairnessTable(List.of("g"));
        for (int i = 0; i < cells.size(); i++) {
            int v = cells.get(i);
            t.add((v & 1) == 1, (v & 2) == 2, "group" + (v >> 2));
        }
        return t;
    }

    @Property(tries = 300)
    void countsAddUpAndSharesOfPredictedPositivesSumToOne(
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 15) Integer> cells) {
        FairnessReport r = FairnessAudit.audit(table(cells), AuditSettings.AEQUITAS_DEFAULTS);
        List<FairnessReport.GroupAudit> groups = r.attributes().get(0).groups();
        assertThat(groups.stream().mapToLong(FairnessReport.GroupAudit::size).sum()).isEqualTo(cells.size());
        assertThat(groups.stream().mapToLong(g -> g.counts().pp()).sum()).isEqualTo(r.k());
        if (r.k() > 0) {
            assertThat(groups.stream().mapToDouble(g -> g.metrics().get(Metric.PPR).value()).sum()).isCloseTo(1.0, within(1e-9));
        }
        for (FairnessReport.GroupAudit g : groups) {
            for (Metric m : Metric.values()) {
                Ratio v = g.metrics().get(m);
                if (v.defined()) {
                    assertThat(v.value()).isBetween(0.0, 1.0);
                }
            }
            // complementary rates
            if (g.metrics().get(Metric.TPR).defined()) {
                assertThat(g.metrics().get(Metric.TPR).value() + g.metrics().get(Metric.FNR).value()).isCloseTo(1.0, within(1e-12));
            }
            if (g.metrics().get(Metric.PRECISION).defined()) {
                assertThat(g.metrics().get(Metric.PRECISION).value() + g.metrics().get(Metric.FDR).value()).isCloseTo(1.0, within(1e-12));
            }
        }
    }

    @Property(tries = 200)
    void theReferenceGroupIsAlwaysAtParityWithItself(
            @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 0, max = 15) Integer> cells) {
        FairnessReport r = FairnessAudit.audit(table(cells), AuditSettings.AEQUITAS_DEFAULTS);
        FairnessReport.AttributeAudit a = r.attributes().get(0);
        for (FairnessReport.GroupAudit g : a.groups()) {
            for (Metric m : Metric.values()) {
                FairnessReport.Disparity d = g.disparities().get(m);
                if (g.group().equals(d.reference()) && d.ratio() != null) {
                    assertThat(d.ratio()).isEqualTo(1.0);
                    for (Parity p : Parity.values()) {
                        if (p.metric() == m) {
                            assertThat(g.parity().get(p)).as(p + " of the reference group").isTrue();
                        }
                    }
                }
            }
        }
    }
}
