package org.clinloop.recommendation;

import java.util.Objects;
import java.util.Optional;

/**
 * How far one model input (or the model's output) has moved between a reference sample (e.g. the
 * training cohort) and a current sample (e.g. last month's proposals).
 *
 * @param feature a name from {@link FeatureExtractor#FEATURE_NAMES}, or {@link Drift#OUTPUT} for
 *                the distribution of proposed directions
 * @param psi     Population Stability Index, current against reference (see {@link Drift})
 * @param ks      two-sample Kolmogorov–Smirnov test for continuous features; empty for binary
 *                features and for the output, where the PSI over categories says all there is
 * @param status  the PSI judged against {@link Drift.Thresholds}
 */
public record DriftReport(String feature, double psi, Optional<KolmogorovSmirnov> ks, Status status) {

    public DriftReport {
        Objects.requireNonNull(feature, "Feature name is required.");
        Objects.requireNonNull(ks, "KS result is required (empty when not computed).");
        Objects.requireNonNull(status, "Status is required.");
        if (!(psi >= 0)) {
            throw new IllegalArgumentException("Expected a PSI of at least 0, found " + psi + " for " + feature + ".");
        }
    }

    /** What a model steward should do about the drift. */
    public enum Status {
        /** Stable: nothing to do. */
        OK,
        /** Moderate shift: look at the feature and at recent proposals. */
        WARN,
        /** Major shift: the held-out metrics no longer describe this population; re-validate. */
        ALERT
    }

    /**
     * Result of the two-sample Kolmogorov–Smirnov test, as computed by Apache Commons Statistics
     * ({@code KolmogorovSmirnovTest}, two-sided, p-value method AUTO).
     *
     * @param statistic       D, the largest distance between the two empirical distribution functions
     * @param pValue          P(D ≥ d) under the hypothesis that both samples come from one distribution
     * @param exactPValue     true when the p-value is exact (both samples below 10,000 values),
     *                        false when it is Kolmogorov's asymptotic approximation
     * @param significantTies true when tied values between the samples could change D (discrete
     *                        features such as the dose step or the reading count); D is then the
     *                        smallest value over the orderings of the ties and the p-value the largest
     */
    public record KolmogorovSmirnov(double statistic, double pValue, boolean exactPValue, boolean significantTies) {
    }
}
