package org.clinloop.recommendation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * Drift statistics: has the population the model sees moved away from the one it was validated on?
 *
 * <p><b>Population Stability Index.</b> {@code PSI = Σ (c_i − r_i) · ln(c_i / r_i)} over bins
 * {@code i}, where {@code r_i} and {@code c_i} are the shares of the reference and the current
 * sample in bin {@code i}. It is 0 for identical distributions and grows with the shift; by the
 * usual convention below 0.1 is stable, 0.1–0.25 a moderate and above 0.25 a major shift
 * ({@link Thresholds#DEFAULT}).
 * <ul>
 *   <li>Continuous values are binned on the <em>reference</em> quantiles at 1/10, 2/10 … 9/10
 *       ({@link #DEFAULT_BINS}), computed by linear interpolation between order statistics (R's
 *       {@code quantile(type = 7)}, numpy's default). Bins are closed on the right:
 *       {@code (−∞, q1], (q1, q2], …, (q9, +∞)}. Repeated quantiles (a discrete feature such as the
 *       dose step) collapse into one edge, so such a feature gets one bin per observed level.</li>
 *   <li>Categorical values (binary indicators, the proposed direction) get one bin per category
 *       seen in either sample.</li>
 *   <li><b>Empty bins:</b> a share of 0 would make the logarithm infinite, so every share is
 *       floored at {@link #PROPORTION_FLOOR} = 1e-4 before the sum (and not renormalised). A bin
 *       empty in one sample and holding a share {@code s} in the other thus contributes
 *       {@code (s − 1e-4) · ln(s / 1e-4)}, e.g. 1.96 for {@code s} = 0.25: an emptied bin alerts.
 *       A bin empty in both contributes 0.</li>
 * </ul>
 *
 * <p><b>Kolmogorov–Smirnov.</b> For continuous features the two-sample KS test (Apache Commons
 * Statistics) adds the largest distance D between the empirical distribution functions and its
 * p-value: exact when both samples hold fewer than {@link #EXACT_P_LIMIT} values, Kolmogorov's
 * asymptotic distribution otherwise. The status is set by the PSI alone: with the thousands of
 * readings of a monitoring window, the KS p-value flags shifts far too small to matter clinically,
 * so it is reported for context rather than used to alert.
 *
 * <p><b>What is measured</b> is what the model sees: the values of
 * {@link FeatureExtractor#FEATURE_NAMES} in clinical units (the model's scaling is linear, so PSI
 * and D are the same either way). A missing trend enters as 0 as it does in the model; a change
 * in how often it is missing shows in the PSI of {@link FeatureExtractor#SBP_SLOPE_MISSING}.
 */
public final class Drift {

    /** The name under which {@link #output} reports the distribution of proposed directions. */
    public static final String OUTPUT = "direction";
    /** The name under which the proposed step sizes (0 for HOLD, 1, 2) are reported. */
    public static final String STEPS = "steps";
    public static final int DEFAULT_BINS = 10;
    /** Floor on every bin share, so an empty bin gives a large but finite PSI term. */
    public static final double PROPORTION_FLOOR = 1e-4;
    /** Largest sample size (exclusive) for which the KS p-value is computed exactly. */
    public static final int EXACT_P_LIMIT = 10_000;
    /** 0/1 indicators (ladder ends, missing values): categorical PSI, no KS test. */
    public static final Set<String> BINARY_FEATURES = FeatureExtractor.FEATURE_NAMES.stream()
            .filter(FeatureExtractor::isBinary).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * PSI levels at which a shift is reported.
     *
     * @param psiWarn  WARN at or above this PSI
     * @param psiAlert ALERT at or above this PSI
     */
    public record Thresholds(double psiWarn, double psiAlert) {

        /** The customary 0.1 / 0.25. */
        public static final Thresholds DEFAULT = new Thresholds(0.1, 0.25);

        public Thresholds {
            if (!(psiWarn > 0 && psiWarn <= psiAlert)) {
                throw new IllegalArgumentException("Expected 0 < psiWarn <= psiAlert, found psiWarn " + psiWarn
                        + " and psiAlert " + psiAlert + ".");
            }
        }

        public DriftReport.Status status(double psi) {
            if (psi >= psiAlert) {
                return DriftReport.Status.ALERT;
            }
            return psi >= psiWarn ? DriftReport.Status.WARN : DriftReport.Status.OK;
        }
    }

    private Drift() {
    }

    /** PSI of a continuous value over {@link #DEFAULT_BINS} reference-quantile bins. */
    public static double psi(double[] reference, double[] current) {
        return psi(reference, current, DEFAULT_BINS);
    }

    /** PSI of a continuous value over {@code bins} reference-quantile bins (fewer if quantiles repeat). */
    public static double psi(double[] reference, double[] current, int bins) {
        checkSample("reference", reference, 1);
        checkSample("current", current, 1);
        if (bins < 2) {
            throw new IllegalArgumentException("Expected at least 2 bins, found " + bins + ".");
        }
        double[] edges = binEdges(reference, bins);
        return psi(binCounts(reference, edges), reference.length, binCounts(current, edges), current.length);
    }

    /** PSI over the categories seen in either sample (compared with {@link Object#equals}). */
    public static <C> double categoricalPsi(Collection<? extends C> reference, Collection<? extends C> current) {
        if (reference.isEmpty() || current.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one value in each sample, found "
                    + reference.size() + " reference and " + current.size() + " current.");
        }
        Set<C> categories = new LinkedHashSet<>(reference);
        categories.addAll(current);
        Map<C, Integer> index = new LinkedHashMap<>();
        for (C c : categories) {
            index.put(c, index.size());
        }
        long[] r = new long[index.size()];
        long[] c = new long[index.size()];
        reference.forEach(v -> r[index.get(v)]++);
        current.forEach(v -> c[index.get(v)]++);
        return psi(r, reference.size(), c, current.size());
    }

    /** Two-sample, two-sided Kolmogorov–Smirnov test of the current against the reference sample. */
    public static DriftReport.KolmogorovSmirnov ks(double[] reference, double[] current) {
        checkSample("reference", reference, 2);
        checkSample("current", current, 2);
        boolean exact = Math.max(reference.length, current.length) < EXACT_P_LIMIT;
        KolmogorovSmirnovTest.TwoResult r = KolmogorovSmirnovTest.withDefaults()
                .with(exact ? PValueMethod.EXACT : PValueMethod.ASYMPTOTIC)
                .test(reference, current);
        return new DriftReport.KolmogorovSmirnov(r.getStatistic(), r.getPValue(), exact, r.hasSignificantTies());
    }

    /** A report per model feature, in {@link FeatureExtractor#FEATURE_NAMES} order, with the default thresholds. */
    public static List<DriftReport> features(List<TitrationFeatures> reference, List<TitrationFeatures> current) {
        return features(reference, current, Thresholds.DEFAULT);
    }

    /**
     * A report per model feature, in {@link FeatureExtractor#FEATURE_NAMES} order: binary
     * indicators by categorical PSI, every other feature by quantile-bin PSI and the KS test.
     */
    public static List<DriftReport> features(List<TitrationFeatures> reference, List<TitrationFeatures> current,
                                             Thresholds thresholds) {
        Objects.requireNonNull(thresholds, "Thresholds are required.");
        if (reference.size() < 2 || current.size() < 2) {
            throw new IllegalArgumentException("Expected at least 2 snapshots in each sample, found "
                    + reference.size() + " reference and " + current.size() + " current.");
        }
        List<DriftReport> out = new ArrayList<>();
        for (String name : FeatureExtractor.FEATURE_NAMES) {
            // A feature that can be missing is compared where it is known; its indicator compares how often.
            double[] r = column(reference, name);
            double[] c = column(current, name);
            if (r.length < 2 || c.length < 2) {
                continue;
            }
            if (BINARY_FEATURES.contains(name)) {
                double psi = categoricalPsi(boxed(r), boxed(c));
                out.add(new DriftReport(name, psi, Optional.empty(), thresholds.status(psi)));
            } else {
                double psi = psi(r, c);
                out.add(new DriftReport(name, psi, Optional.of(ks(r, c)), thresholds.status(psi)));
            }
        }
        return List.copyOf(out);
    }

    /** PSI of the proposed directions, with the default thresholds. */
    public static DriftReport output(List<Direction> reference, List<Direction> current) {
        return output(reference, current, Thresholds.DEFAULT);
    }

    /** PSI of the proposed directions (DECREASE / HOLD / INCREASE), reported as {@link #OUTPUT}. */
    public static DriftReport output(List<Direction> reference, List<Direction> current, Thresholds thresholds) {
        Objects.requireNonNull(thresholds, "Thresholds are required.");
        double psi = categoricalPsi(reference, current);
        return new DriftReport(OUTPUT, psi, Optional.empty(), thresholds.status(psi));
    }

    /** PSI of the proposed step sizes (0 for HOLD, 1 or 2 ladder steps), reported as {@link #STEPS}. */
    public static DriftReport steps(List<Integer> reference, List<Integer> current, Thresholds thresholds) {
        Objects.requireNonNull(thresholds, "Thresholds are required.");
        double psi = categoricalPsi(reference, current);
        return new DriftReport(STEPS, psi, Optional.empty(), thresholds.status(psi));
    }

    /** Distinct reference quantiles at 1/bins … (bins−1)/bins, ascending. */
    static double[] binEdges(double[] reference, int bins) {
        double[] sorted = reference.clone();
        Arrays.sort(sorted);
        double[] edges = new double[bins - 1];
        int n = 0;
        for (int k = 1; k < bins; k++) {
            double q = quantile(sorted, k / (double) bins);
            if (n == 0 || q > edges[n - 1]) {
                edges[n++] = q;
            }
        }
        return Arrays.copyOf(edges, n);
    }

    /** Quantile by linear interpolation between order statistics (R type 7): h = (n − 1)·p. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static long[] binCounts(double[] values, double[] edges) {
        long[] counts = new long[edges.length + 1];
        for (double v : values) {
            int i = Arrays.binarySearch(edges, v);
            // On an edge: the bin that edge closes. Otherwise: the number of edges below v.
            counts[i >= 0 ? i : -i - 1]++;
        }
        return counts;
    }

    private static double psi(long[] reference, long referenceSize, long[] current, long currentSize) {
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = Math.max(PROPORTION_FLOOR, reference[i] / (double) referenceSize);
            double c = Math.max(PROPORTION_FLOOR, current[i] / (double) currentSize);
            sum += (c - r) * Math.log(c / r);
        }
        return sum;
    }

    private static void checkSample(String which, double[] values, int minimum) {
        if (values.length < minimum) {
            throw new IllegalArgumentException("Expected at least " + minimum + " value" + (minimum == 1 ? "" : "s")
                    + " in the " + which + " sample, found " + values.length + ".");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("Expected finite values in the " + which + " sample, found "
                        + values[i] + " at index " + i + ".");
            }
        }
    }

    /** The feature's values where known (all of them for a feature that is never missing). */
    private static double[] column(List<TitrationFeatures> snapshots, String name) {
        return snapshots.stream().filter(f -> !f.missing().contains(name)).mapToDouble(f -> f.value(name)).toArray();
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
