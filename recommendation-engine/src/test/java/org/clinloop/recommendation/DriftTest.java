package org.clinloop.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DriftTest {

    static final double[] ONE_TO_TWENTY = IntStream.rangeClosed(1, 20).asDoubleStream().toArray();

    @Test
    void binEdgesAreType7QuantilesOfTheReference() {
        // n = 20, h = (n - 1) p: p = .25 → h = 4.75 → x[4] + .75 (x[5] - x[4]) = 5 + .75 = 5.75 (0-based);
        // p = .5 → h = 9.5 → 10.5; p = .75 → h = 14.25 → 15.25.
        assertThat(Drift.binEdges(ONE_TO_TWENTY, 4)).containsExactly(5.75, 10.5, 15.25);
    }

    @Test
    void repeatedQuantilesCollapseSoADiscreteFeatureGetsABinPerLevel() {
        double[] doseSteps = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4};
        // Deciles 0, 0.8, 1, 1.6, 2, 2.4, 3, 3.2, 4 are all distinct here; with repeated levels they merge:
        assertThat(Drift.binEdges(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 2, 2}, 10))
                .containsExactly(new double[] {1.0, 1.2, 2.0}, within(1e-12));
        assertThat(Drift.psi(doseSteps, doseSteps)).isZero();
    }

    @Test
    void psiMatchesTheHandComputedValue() {
        // Reference 1..20 in 4 bins (-inf, 5.75], (5.75, 10.5], (10.5, 15.25], (15.25, inf): 5 each, r = .25.
        // Current {2, 4 | 8 | 12, 13, 14, 15 | 17, 18, 19}: c = .2, .1, .4, .3.
        // PSI = (.2-.25) ln(.2/.25) + (.1-.25) ln(.1/.25) + (.4-.25) ln(.4/.25) + (.3-.25) ln(.3/.25)
        //     = (-.05)(-.223144) + (-.15)(-.916291) + (.15)(.470004) + (.05)(.182322)
        //     = .011157 + .137444 + .070501 + .009116 = .228217
        double[] current = {2, 4, 8, 12, 13, 14, 15, 17, 18, 19};
        double expected = -0.05 * Math.log(0.8) - 0.15 * Math.log(0.4) + 0.15 * Math.log(1.6) + 0.05 * Math.log(1.2);

        assertThat(Drift.psi(ONE_TO_TWENTY, current, 4)).isCloseTo(expected, within(1e-15))
                .isCloseTo(0.228217, within(1e-6));
    }

    @Test
    void anEmptyBinIsFlooredAt1eMinus4AndAlerts() {
        // Current {1, 3 | 6, 8, 9 | 11..15 | —}: c = .2, .3, .5, 0 → floored to 1e-4.
        // PSI = -.05 ln(.8) + .05 ln(1.2) + .25 ln(2) + (1e-4 - .25) ln(1e-4 / .25)
        //     = .011157 + .009116 + .173287 + 1.955229 = 2.148789
        double[] current = {1, 3, 6, 8, 9, 11, 12, 13, 14, 15};
        double expected = -0.05 * Math.log(0.8) + 0.05 * Math.log(1.2) + 0.25 * Math.log(2)
                + (1e-4 - 0.25) * Math.log(1e-4 / 0.25);

        double psi = Drift.psi(ONE_TO_TWENTY, current, 4);

        assertThat(psi).isCloseTo(expected, within(1e-15)).isCloseTo(2.148789, within(1e-6));
        assertThat(Drift.Thresholds.DEFAULT.status(psi)).isEqualTo(DriftReport.Status.ALERT);
    }

    @Test
    void psiIsZeroForTheSameSampleAndNeverNegative() {
        Random rng = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            // Values with few or many levels, so that some bins collapse and some stay empty.
            int rLevels = 1 + trial % 30;
            int cLevels = 1 + trial % 17;
            int cOffset = trial % 3;
            double[] r = rng.doubles(2 + rng.nextInt(300)).map(v -> Math.floor(v * rLevels)).toArray();
            double[] c = rng.doubles(2 + rng.nextInt(300)).map(v -> Math.floor(v * cLevels) + cOffset).toArray();
            assertThat(Drift.psi(r, r)).isZero();
            assertThat(Drift.psi(r, c)).isGreaterThanOrEqualTo(0);
            // Only the shares matter: the order of the current sample does not.
            List<Double> shuffled = new ArrayList<>(java.util.Arrays.stream(c).boxed().toList());
            Collections.shuffle(shuffled, rng);
            assertThat(Drift.psi(r, shuffled.stream().mapToDouble(Double::doubleValue).toArray()))
                    .isCloseTo(Drift.psi(r, c), within(1e-12));
        }
    }

    @Test
    void categoricalPsiOfTheDirectionsMatchesTheHandComputedValue() {
        // Reference DECREASE 10 %, HOLD 40 %, INCREASE 50 %; current 20 %, 40 %, 40 %.
        // PSI = (.2-.1) ln 2 + 0 + (.4-.5) ln .8 = .069315 + .022314 = .091629 → OK (below .1).
        List<Direction> reference = directions(10, 40, 50);
        List<Direction> current = directions(20, 40, 40);

        DriftReport report = Drift.output(reference, current);

        assertThat(report.feature()).isEqualTo(Drift.OUTPUT);
        assertThat(report.psi()).isCloseTo(0.1 * Math.log(2) - 0.1 * Math.log(0.8), within(1e-15))
                .isCloseTo(0.091629, within(1e-6));
        assertThat(report.ks()).isEmpty();
        assertThat(report.status()).isEqualTo(DriftReport.Status.OK);
        // A class that disappears: DECREASE 10 % → 0 (floored): (1e-4 - .1) ln(1e-3) + ... → ALERT.
        assertThat(Drift.output(reference, directions(0, 50, 50)).status()).isEqualTo(DriftReport.Status.ALERT);
    }

    @Test
    void thresholdsAreInclusiveAndValidated() {
        Drift.Thresholds t = Drift.Thresholds.DEFAULT;
        assertThat(t.status(0.0999)).isEqualTo(DriftReport.Status.OK);
        assertThat(t.status(0.1)).isEqualTo(DriftReport.Status.WARN);
        assertThat(t.status(0.25)).isEqualTo(DriftReport.Status.ALERT);
        assertThat(new Drift.Thresholds(0.2, 0.5).status(0.25)).isEqualTo(DriftReport.Status.WARN);
        assertThatThrownBy(() -> new Drift.Thresholds(0.3, 0.2))
                .hasMessage("Expected 0 < psiWarn <= psiAlert, found psiWarn 0.3 and psiAlert 0.2.");
        assertThatThrownBy(() -> Drift.psi(new double[] {1, Double.NaN}, new double[] {1}))
                .hasMessage("Expected finite values in the reference sample, found NaN at index 1.");
    }

    @Test
    void ksOfTwoSeparatedSamplesOfFiveIsExact() {
        // D = 1: every x below every y. Under H0 each of the C(10,5) = 252 splits of the ranks is equally
        // likely and only two (all x first, all y first) reach D = 1: p = 2/252 = 0.0079365 (R: ks.test(1:5, 6:10)).
        DriftReport.KolmogorovSmirnov ks = Drift.ks(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10});

        assertThat(ks.statistic()).isEqualTo(1.0);
        assertThat(ks.pValue()).isCloseTo(2.0 / 252, within(1e-15)).isCloseTo(0.007936507936507936, within(1e-15));
        assertThat(ks.exactPValue()).isTrue();
        assertThat(ks.significantTies()).isFalse();
    }

    @Test
    void ksMatchesPublishedExactValuesAndFullEnumeration() {
        // Reference values: Apache Commons Statistics test data ks.twosample.small.txt, computed by
        // enumerating combinations: (m, n, D·m·n) = (4, 5, 16) → P(D >= 0.8) = 0.07936507936507936 and
        // (10, 10, 50) → P(D >= 0.5) = 0.16782134274394336.
        double[] x4 = {2, 3, 4, 5};
        double[] y5 = {1, 6, 7, 8, 9}; // at t = 5: F_x = 1, F_y = 1/5 → D = 0.8
        double[] x10 = IntStream.rangeClosed(1, 10).asDoubleStream().toArray();
        double[] y10 = IntStream.rangeClosed(1, 10).mapToDouble(i -> i + 4.5).toArray(); // at t = 5: D = 5/10

        DriftReport.KolmogorovSmirnov a = Drift.ks(x4, y5);
        DriftReport.KolmogorovSmirnov b = Drift.ks(x10, y10);

        assertThat(a.statistic()).isCloseTo(0.8, within(1e-15));
        assertThat(a.pValue()).isCloseTo(0.07936507936507936, within(1e-14));
        assertThat(b.statistic()).isCloseTo(0.5, within(1e-15));
        assertThat(b.pValue()).isCloseTo(0.16782134274394336, within(1e-14));
        // From first principles: the share of all C(n+m, n) splits of the pooled values with D at least as large.
        assertThat(a.pValue()).isCloseTo(enumeratedP(x4, y5), within(1e-14));
        assertThat(b.pValue()).isCloseTo(enumeratedP(x10, y10), within(1e-14));
    }

    @Test
    void ksOfLargeSamplesUsesKolmogorovsAsymptoticDistribution() {
        // n = m = 10,000: x = 0..9999, y = x + 191.5 → D = 192 / 10,000 = 0.0192.
        // λ = sqrt(n m / (n + m)) D = sqrt(5000) · 0.0192 = 1.35765; Q(λ) = 2 Σ (-1)^(k-1) exp(-2 k² λ²) = 0.0501
        // (the textbook 5 % critical value of Kolmogorov's distribution is λ = 1.3581).
        double[] x = IntStream.range(0, 10_000).asDoubleStream().toArray();
        double[] y = IntStream.range(0, 10_000).mapToDouble(i -> i + 191.5).toArray();

        DriftReport.KolmogorovSmirnov ks = Drift.ks(x, y);

        double lambda = Math.sqrt(5000) * 0.0192;
        assertThat(ks.exactPValue()).isFalse();
        assertThat(ks.statistic()).isCloseTo(0.0192, within(1e-15));
        assertThat(ks.pValue()).isCloseTo(kolmogorovQ(lambda), within(1e-3)).isCloseTo(0.0501, within(1e-3));
        assertThat(kolmogorovQ(1.3581)).isCloseTo(0.05, within(1e-5));
    }

    @Test
    void aSecondSampleFromTheSameCohortDoesNotDriftAndAShiftedOneAlertsOnTheShiftedFeature() {
        List<TitrationFeatures> reference = features(SyntheticCohort.generate(11, 1500, 0.03));
        List<TitrationFeatures> current = features(SyntheticCohort.generate(12, 1500, 0.03));
        List<TitrationFeatures> hotter = current.stream()
                .map(f -> with(f, FeatureExtractor.SBP_MEAN_7D, f.value(FeatureExtractor.SBP_MEAN_7D) + 15))
                .toList();

        List<DriftReport> same = Drift.features(reference, current);
        List<DriftReport> shifted = Drift.features(reference, hotter);

        assertThat(same).extracting(DriftReport::feature).containsExactlyElementsOf(FeatureExtractor.FEATURE_NAMES);
        assertThat(same).allSatisfy(r -> assertThat(r.status()).as(r.feature()).isEqualTo(DriftReport.Status.OK));
        assertThat(same).allSatisfy(r -> assertThat(r.ks().isPresent())
                .isEqualTo(!Drift.BINARY_FEATURES.contains(r.feature())));
        DriftReport sbp = shifted.get(FeatureExtractor.FEATURE_NAMES.indexOf(FeatureExtractor.SBP_MEAN_7D));
        assertThat(sbp.status()).isEqualTo(DriftReport.Status.ALERT);
        assertThat(sbp.ks().orElseThrow().pValue()).isLessThan(1e-10);
        assertThat(shifted).filteredOn(r -> !r.feature().equals(FeatureExtractor.SBP_MEAN_7D))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(DriftReport.Status.OK));
        // The dose step is discrete: KS reports ties.
        DriftReport dose = same.get(FeatureExtractor.FEATURE_NAMES.indexOf(FeatureExtractor.DOSE_STEP));
        assertThat(dose.ks().orElseThrow().significantTies()).isTrue();
        assertThat(dose.ks().orElseThrow().exactPValue()).isTrue();
    }

    static List<Direction> directions(int decrease, int hold, int increase) {
        List<Direction> out = new ArrayList<>();
        out.addAll(Collections.nCopies(decrease, Direction.DECREASE));
        out.addAll(Collections.nCopies(hold, Direction.HOLD));
        out.addAll(Collections.nCopies(increase, Direction.INCREASE));
        return out;
    }

    static List<TitrationFeatures> features(List<SyntheticCohort.Example> cohort) {
        return cohort.stream().map(SyntheticCohort.Example::features).toList();
    }

    static TitrationFeatures with(TitrationFeatures f, String name, double value) {
        Map<String, Double> v = new LinkedHashMap<>(f.values());
        v.put(name, value);
        return new TitrationFeatures(v, f.missing());
    }

    /** P(D >= d) by enumerating every way to split the pooled (distinct) values into samples of n and m. */
    static double enumeratedP(double[] x, double[] y) {
        double[] pooled = java.util.stream.DoubleStream.concat(java.util.Arrays.stream(x), java.util.Arrays.stream(y))
                .sorted().toArray();
        int n = x.length;
        int m = y.length;
        long observed = integralD(pooled, membership(pooled, x), n, m);
        long atLeast = 0;
        long total = 0;
        for (long mask = 0; mask < 1L << pooled.length; mask++) {
            if (Long.bitCount(mask) != n) {
                continue;
            }
            total++;
            boolean[] inX = new boolean[pooled.length];
            for (int i = 0; i < pooled.length; i++) {
                inX[i] = (mask >> i & 1) == 1;
            }
            if (integralD(pooled, inX, n, m) >= observed) {
                atLeast++;
            }
        }
        return atLeast / (double) total;
    }

    private static boolean[] membership(double[] pooled, double[] x) {
        boolean[] inX = new boolean[pooled.length];
        for (int i = 0; i < pooled.length; i++) {
            for (double v : x) {
                inX[i] |= v == pooled[i];
            }
        }
        return inX;
    }

    /** max |F_x - F_y| · n · m, walking the pooled values in order. */
    private static long integralD(double[] pooled, boolean[] inX, int n, int m) {
        long diff = 0;
        long max = 0;
        for (int i = 0; i < pooled.length; i++) {
            diff += inX[i] ? m : -n;
            max = Math.max(max, Math.abs(diff));
        }
        return max;
    }

    static double kolmogorovQ(double lambda) {
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            sum += (k % 2 == 1 ? 2 : -2) * Math.exp(-2.0 * k * k * lambda * lambda);
        }
        return sum;
    }

    @Test
    void stepSizesAreComparedAsCategories() {
        // Reference: half hold, 40 % one step, 10 % two; now 10 % hold, 40 % one, half two steps.
        List<Integer> reference = new java.util.ArrayList<>();
        List<Integer> current = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            reference.add(i < 50 ? 0 : i < 90 ? 1 : 2);
            current.add(i < 10 ? 0 : i < 50 ? 1 : 2);
        }
        double expected = (0.5 - 0.1) * Math.log(0.5 / 0.1) + 0 + (0.1 - 0.5) * Math.log(0.1 / 0.5);
        DriftReport r = Drift.steps(reference, current, Drift.Thresholds.DEFAULT);
        assertThat(r.feature()).isEqualTo(Drift.STEPS);
        assertThat(r.psi()).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(r.status()).isEqualTo(DriftReport.Status.ALERT);
        assertThat(r.ks()).isEmpty();
        assertThat(Drift.steps(reference, reference, Drift.Thresholds.DEFAULT).psi()).isZero();
    }
}
