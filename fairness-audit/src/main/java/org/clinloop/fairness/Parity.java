package org.clinloop.fairness;

import java.util.List;
import java.util.Map;

/**
 * Aequitas fairness determinations. A base parity holds when {@code tau ≤ disparity ≤ 1/tau};
 * a combined one is the conjunction of its parts, in three-valued logic: false if any part is
 * false, else undefined (null) if any part is undefined, else true.
 */
public enum Parity {
    STATISTICAL(Metric.PPR),
    IMPACT(Metric.PPREV),
    FDR(Metric.FDR),
    FPR(Metric.FPR),
    FOR(Metric.FOR),
    FNR(Metric.FNR),
    TPR(Metric.TPR),
    TNR(Metric.TNR),
    NPV(Metric.NPV),
    PRECISION(Metric.PRECISION),
    TYPE_I(FDR, FPR),
    TYPE_II(FOR, FNR),
    EQUALIZED_ODDS(FPR, TPR),
    UNSUPERVISED(STATISTICAL, IMPACT),
    SUPERVISED(TYPE_I, TYPE_II);

    private final Metric metric;
    private final List<Parity> parts;

    Parity(Metric metric) {
        this.metric = metric;
        this.parts = List.of();
    }

    Parity(Parity... parts) {
        this.metric = null;
        this.parts = List.of(parts);
    }

    /** The metric of a base parity, or null for a combined one. */
    public Metric metric() {
        return metric;
    }

    public List<Parity> parts() {
        return parts;
    }

    /** Fair when {@code tau ≤ disparity ≤ 1/tau}; null when the disparity is undefined. */
    public static Boolean fair(Double disparity, double tau) {
        if (disparity == null) {
            return null;
        }
        return disparity >= tau - 1e-12 && disparity <= 1 / tau + 1e-12;
    }

    /** Evaluates this parity from the base determinations already in {@code base}. */
    public Boolean evaluate(Map<Parity, Boolean> known) {
        if (metric != null) {
            return known.get(this);
        }
        boolean undefined = false;
        for (Parity p : parts) {
            Boolean v = p.evaluate(known);
            if (Boolean.FALSE.equals(v)) {
                return false;
            }
            undefined |= v == null;
        }
        return undefined ? null : true;
    }
}
