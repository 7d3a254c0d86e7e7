package org.clinloop.fairness;

/**
 * The Aequitas group metrics. Each names its numerator and denominator; all but PPR are
 * proportions within the group, tested against the reference group with Fisher's exact test on
 * the 2×2 table (group, reference) × (event, non-event) over the metric's denominator.
 */
public enum Metric {
    /** True positive rate (recall): tp / (tp + fn). */
    TPR,
    /** True negative rate: tn / (tn + fp). */
    TNR,
    /** False omission rate: fn / (fn + tn). */
    FOR,
    /** False discovery rate: fp / (fp + tp). */
    FDR,
    /** False positive rate: fp / (fp + tn). */
    FPR,
    /** False negative rate: fn / (fn + tp). */
    FNR,
    /** Negative predictive value: tn / (tn + fn). */
    NPV,
    /** Precision: tp / (tp + fp). */
    PRECISION,
    /** Predicted positive rate: pp / k, the group's share of all predicted positives (not tested). */
    PPR,
    /** Predicted prevalence: pp / group size. */
    PPREV,
    /** Prevalence: (tp + fn) / group size. */
    PREVALENCE;

    /** The metric of a group; {@code k} is the number of predicted positives in the whole input. */
    public Ratio of(Counts c, long k) {
        return switch (this) {
            case TPR -> new Ratio(c.tp(), c.tp() + c.fn());
            case TNR -> new Ratio(c.tn(), c.tn() + c.fp());
            case FOR -> new Ratio(c.fn(), c.fn() + c.tn());
            case FDR -> new Ratio(c.fp(), c.fp() + c.tp());
            case FPR -> new Ratio(c.fp(), c.fp() + c.tn());
            case FNR -> new Ratio(c.fn(), c.fn() + c.tp());
            case NPV -> new Ratio(c.tn(), c.tn() + c.fn());
            case PRECISION -> new Ratio(c.tp(), c.tp() + c.fp());
            case PPR -> new Ratio(c.pp(), k);
            case PPREV -> new Ratio(c.pp(), c.size());
            case PREVALENCE -> new Ratio(c.labelPositive(), c.size());
        };
    }

    /** Whether a significance test applies (a proportion within the group). */
    public boolean testable() {
        return this != PPR;
    }

    /** Column name in Aequitas output. */
    public String column() {
        return this == PREVALENCE ? "prev" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
