package org.clinloop.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The promotion gates on hand-made metrics: floors, calibration, and the two group gates. */
class PromotionGatesTest {

    static final PromotionGates GATES = PromotionGates.DEFAULT;

    /** Overall metrics that pass every overall gate (held out 1,000), plus per-group accuracy and size. */
    static ModelVersion version(String id, double accuracy, Map<String, double[]> groups) {
        Map<String, Double> m = new HashMap<>(Map.of("accuracy", accuracy, "macro_f1", 0.92, "recall_decrease", 0.9,
                "recall_hold", 0.9, "recall_increase", 0.95, "ece", 0.06, "held_out", 1000.0));
        groups.forEach((name, v) -> {
            String[] ag = name.split("=", 2);
            m.put(GroupMetrics.key(ag[0], ag[1], "accuracy"), v[0]);
            m.put(GroupMetrics.key(ag[0], ag[1], "n"), v[1]);
        });
        return new ModelVersion(id, "lr", ModelStatus.CANDIDATE, "p", "d", 1, Instant.EPOCH, m, null, null);
    }

    static Map<String, double[]> sex(double female, double male) {
        return Map.of("sex=female", new double[] {female, 500}, "sex=male", new double[] {male, 500});
    }

    @Test
    void oneGroupRegressingBeyondTheToleranceIsRefusedWhileOverallImproves() {
        ModelVersion active = version("titration-lr-1", 0.93, sex(0.98, 0.88));
        ModelVersion candidate = version("titration-lr-2", 0.955, sex(0.91, 1.00));

        assertThat(GATES.failures(candidate)).as("on its own it passes").isEmpty();
        assertThat(GATES.failures(candidate, Optional.of(active))).singleElement().asString()
                .startsWith("expected group sex=female accuracy >= 0.9300 (ACTIVE titration-lr-1 0.9800 - max(tolerance "
                        + "0.05, 3.0 SE ")
                .endsWith("found 0.9100 (n 500)");
        PromotionGates.Check check = GATES.checks(candidate, Optional.of(active)).stream()
                .filter(c -> !c.passed()).findFirst().orElseThrow();
        assertThat(check.gate()).isEqualTo("group_regression");
        assertThat(check.group()).isEqualTo("sex=female");
        assertThat(check.found()).isEqualTo(0.91);
        assertThat(check.bound()).isCloseTo(0.93, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void aFallWithinTheToleranceOrWithinSamplingNoisePasses() {
        ModelVersion active = version("a", 0.93, sex(0.96, 0.90));
        assertThat(GATES.failures(version("b", 0.93, sex(0.92, 0.94)), Optional.of(active))).isEmpty();
        // 0.97 → 0.90 is a fall of 0.07, but on 110 examples each three standard errors are about 0.11.
        ModelVersion smallBefore = version("a", 0.93, Map.of("age_band=<45", new double[] {0.97, 110}));
        ModelVersion smallAfter = version("b", 0.93, Map.of("age_band=<45", new double[] {0.90, 110}));
        List<PromotionGates.Check> checks = GATES.checks(smallAfter, Optional.of(smallBefore));
        assertThat(checks).filteredOn(c -> c.gate().equals("group_regression")).singleElement()
                .satisfies(c -> assertThat(c.passed()).isTrue())
                .satisfies(c -> assertThat(c.bound()).isLessThan(0.88));
    }

    @Test
    void aGroupFarBelowTheWholeIsRefusedWithoutAnActiveVersion() {
        ModelVersion v = version("b", 0.93, Map.of("skin_tone=fitzpatrick_I-III", new double[] {0.96, 700},
                "skin_tone=fitzpatrick_IV-VI", new double[] {0.86, 300}));
        assertThat(GATES.failures(v)).singleElement().asString()
                .startsWith("expected group skin_tone=fitzpatrick_IV-VI accuracy >= 0.8800 (overall 0.9300 - max(gap 0.05")
                .endsWith("found 0.8600 (n 300)");
    }

    @Test
    void smallGroupsAreReportedNotGated() {
        ModelVersion v = version("b", 0.93, Map.of("age_band=<45", new double[] {0.50, 99}));
        assertThat(GATES.failures(v)).isEmpty();
        assertThat(GATES.checks(v, Optional.empty())).filteredOn(c -> c.gate().equals("group_size")).singleElement()
                .satisfies(c -> assertThat(c.message()).isEqualTo("group age_band=<45 not gated: n 99 < 100"));
    }

    @Test
    void aVersionWithoutGroupMetricsIsRefusedAndAnActiveOneWithoutThemIsNotCompared() {
        ModelVersion old = version("titration-lr-1", 0.93, Map.of());
        ModelVersion fresh = version("titration-lr-2", 0.93, sex(0.93, 0.93));
        assertThat(GATES.failures(old)).singleElement().asString()
                .startsWith("expected per-group held-out metrics, found none");
        assertThat(GATES.failures(fresh, Optional.of(old))).isEmpty();
        assertThat(GATES.checks(fresh, Optional.of(old))).anySatisfy(c -> assertThat(c.message())
                .isEqualTo("not compared: ACTIVE titration-lr-1 has no per-group metrics"));
    }

    @Test
    void overallFloorsAndCalibrationKeepTheirMessages() {
        Map<String, Double> m = new HashMap<>(version("b", 0.70, sex(0.7, 0.7)).metrics());
        m.put("ece", 0.12);
        m.remove("recall_hold");
        ModelVersion v = new ModelVersion("b", "lr", ModelStatus.CANDIDATE, "p", "d", 1, Instant.EPOCH, m, null, null);
        assertThat(GATES.failures(v)).containsExactly("expected accuracy >= 0.8, found 0.7",
                "expected recall_hold >= 0.5, found null", "expected ece <= 0.1, found 0.12");
    }

    /** Comparing with an ACTIVE version can add refusals, never remove one. */
    @Property(tries = 500)
    void anActiveVersionOnlyAddsRefusals(@ForAll @DoubleRange(min = 0.5, max = 1) double overall,
                                         @ForAll @DoubleRange(min = 0.5, max = 1) double female,
                                         @ForAll @DoubleRange(min = 0.5, max = 1) double male,
                                         @ForAll @DoubleRange(min = 0.5, max = 1) double femaleBefore,
                                         @ForAll @IntRange(min = 1, max = 2000) int n) {
        ModelVersion candidate = version("b", overall, Map.of("sex=female", new double[] {female, n},
                "sex=male", new double[] {male, n}));
        ModelVersion active = version("a", 0.9, Map.of("sex=female", new double[] {femaleBefore, n}));
        List<String> alone = GATES.failures(candidate);
        List<String> compared = GATES.failures(candidate, Optional.of(active));
        assertThat(compared).containsAll(alone);
        assertThat(compared).allSatisfy(f -> assertThat(f).startsWith("expected "));
        compared.stream().filter(f -> !alone.contains(f))
                .forEach(f -> assertThat(f).contains("group sex=female").contains("ACTIVE a"));
    }

    /**
     * The tolerance is the least shortfall the group gates allow: a group within it of the whole,
     * or of the ACTIVE version's figure, is never refused, whatever its size.
     */
    @Property(tries = 1000)
    void aShortfallWithinTheToleranceIsNeverRefused(@ForAll @DoubleRange(min = 0.5, max = 1) double overall,
                                                    @ForAll @DoubleRange(min = 0, max = 0.05) double belowOverall,
                                                    @ForAll @DoubleRange(min = 0.5, max = 1) double before,
                                                    @ForAll @DoubleRange(min = 0, max = 0.05) double belowBefore,
                                                    @ForAll @IntRange(min = 1, max = 100_000) int n) {
        double female = Math.max(overall - belowOverall, before - belowBefore);
        ModelVersion active = version("a", 0.9, Map.of("sex=female", new double[] {before, n}));
        ModelVersion candidate = version("b", overall, Map.of("sex=female", new double[] {female, n}));
        assertThat(failed(candidate, active)).noneMatch(f -> f.startsWith("group_"));
    }

    /** On samples large enough that noise is negligible, any fall beyond the tolerance is refused, naming the group. */
    @Property(tries = 1000)
    void onLargeSamplesAFallBeyondTheToleranceIsRefused(@ForAll @DoubleRange(min = 0.6, max = 1) double before,
                                                        @ForAll @DoubleRange(min = 0.06, max = 0.5) double fall) {
        int n = 1_000_000;
        ModelVersion active = version("a", 0.9, Map.of("sex=female", new double[] {before, n}));
        ModelVersion candidate = version("b", 0.9, Map.of("sex=female", new double[] {before - fall, n},
                "sex=male", new double[] {0.9, n}));
        assertThat(failed(candidate, active)).contains("group_regression accuracy sex=female");
    }

    /** Which gate failed for which metric of which group (the message also carries the value found). */
    static List<String> failed(ModelVersion candidate, ModelVersion active) {
        return GATES.checks(candidate, Optional.of(active)).stream().filter(c -> !c.passed())
                .map(c -> c.gate() + " " + c.metric() + " " + c.group()).toList();
    }
}
