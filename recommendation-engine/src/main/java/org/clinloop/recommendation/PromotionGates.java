package org.clinloop.recommendation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model version must show on its held-out data before it may act on patients: metric
 * floors, calibration, no patient group left behind the whole, and no group worse off than under
 * the version now ACTIVE.
 *
 * <p>The group gates ({@link GroupMetrics}) compare the {@link #GROUP_METRICS}, all shares of
 * counted examples, of every group with at least {@code minGroupSize} held-out examples (smaller
 * groups are reported, not gated). A group fails when it falls short by more than the tolerance
 * <em>and</em> by more than sampling noise: the allowed shortfall is the larger of the tolerance
 * and {@link #SAMPLING_Z} standard errors of the difference (each share's variance taken at
 * (k + 1) / (n + 2), so that a perfect score on a few examples is not taken as certain). Without
 * the noise term a group of 100 would refuse about one retraining in five against an ACTIVE
 * version trained on another seed; with it, small groups and rare directions are judged only on
 * differences their size can show.
 *
 * @param minAccuracy        held-out accuracy floor
 * @param minMacroF1         held-out macro-averaged F1 floor
 * @param minRecall          floor on every class's recall (no direction may be ignored)
 * @param maxEce             ceiling on the expected calibration error of the proposed direction
 * @param minGroupSize       held-out examples a group needs to be gated
 * @param maxGroupGap        tolerance of a group's shortfall against the overall value, same version
 * @param maxGroupRegression tolerance of a group's fall against the ACTIVE version's value for it
 */
public record PromotionGates(double minAccuracy, double minMacroF1, double minRecall, double maxEce,
                             int minGroupSize, double maxGroupGap, double maxGroupRegression) {

    public static final PromotionGates DEFAULT = new PromotionGates(0.80, 0.70, 0.50, 0.10, 100, 0.05, 0.05);
    /** The per-group metrics the group gates compare (macro-F1 is reported per group, not gated: it is no share). */
    public static final List<String> GROUP_METRICS = List.of("accuracy", "recall_decrease", "recall_hold",
            "recall_increase");
    /** Standard errors of sampling noise a group gate allows: one-sided 5 %. */
    public static final double SAMPLING_Z = 3.0;
    /** {@link Check#group()} of a check on the whole held-out set. */
    public static final String ALL = "all";

    public PromotionGates {
        if (minGroupSize < 1 || !(maxGroupGap >= 0) || !(maxGroupRegression >= 0)) {
            throw new IllegalArgumentException("Expected minGroupSize >= 1 and group gap and regression >= 0, found "
                    + minGroupSize + ", " + maxGroupGap + ", " + maxGroupRegression + ".");
        }
    }

    /**
     * One gate applied to one metric of one group, as the audit entry of a promotion (or of its
     * refusal) records it.
     *
     * @param gate    {@code floor}, {@code ceiling}, {@code group_metrics}, {@code group_size},
     *                {@code group_gap} or {@code group_regression}
     * @param metric  e.g. {@code accuracy}
     * @param group   {@code attribute=group}, or {@link #ALL}
     * @param found   the candidate's value, null when it has none
     * @param bound   what it had to reach (to stay under, for a ceiling), null when nothing was compared
     * @param passed  whether the candidate passes this check
     * @param message "expected … found …", or why a group was not gated or compared
     */
    public record Check(String gate, String metric, String group, Double found, Double bound, boolean passed,
                        String message) {
    }

    /** The gates this version fails, each as "expected … found …"; empty when it passes. No ACTIVE version to compare with. */
    public List<String> failures(ModelVersion candidate) {
        return failures(candidate, Optional.empty());
    }

    /** The gates this version fails, the version now ACTIVE (if any) compared; empty when it passes. */
    public List<String> failures(ModelVersion candidate, Optional<ModelVersion> active) {
        return checks(candidate, active).stream().filter(c -> !c.passed()).map(Check::message).toList();
    }

    /** Every check, passed or not: overall floors and calibration, each group against the whole, each against ACTIVE. */
    public List<Check> checks(ModelVersion candidate, Optional<ModelVersion> active) {
        Objects.requireNonNull(candidate, "A candidate version is required.");
        Map<String, Double> m = candidate.metrics();
        List<Check> out = new ArrayList<>();
        out.add(floor("accuracy", m.get("accuracy"), minAccuracy));
        out.add(floor("macro_f1", m.get("macro_f1"), minMacroF1));
        for (Direction d : Direction.values()) {
            String key = "recall_" + d.name().toLowerCase();
            out.add(floor(key, m.get(key), minRecall));
        }
        Double ece = m.get("ece");
        out.add(new Check("ceiling", "ece", ALL, ece, maxEce, ece != null && ece <= maxEce,
                "expected ece <= " + maxEce + ", found " + ece));

        List<GroupMetrics> groups = GroupMetrics.of(m);
        if (groups.isEmpty()) {
            out.add(new Check("group_metrics", GroupMetrics.N, ALL, null, null, false,
                    "expected per-group held-out metrics, found none (registered before they were measured: "
                            + "retrain the version)"));
            return out;
        }
        List<GroupMetrics> gated = new ArrayList<>();
        for (GroupMetrics g : groups) {
            if (g.n() < minGroupSize) {
                out.add(new Check("group_size", GroupMetrics.N, g.name(), (double) g.n(), (double) minGroupSize, true,
                        "group " + g.name() + " not gated: n " + g.n() + " < " + minGroupSize));
            } else {
                gated.add(g);
            }
        }
        for (GroupMetrics g : gated) {
            for (String metric : GROUP_METRICS) {
                gap(out, g, metric, m);
            }
        }
        if (active.isPresent() && !active.get().id().equals(candidate.id())) {
            ModelVersion current = active.get();
            List<GroupMetrics> before = GroupMetrics.of(current.metrics());
            if (before.isEmpty()) {
                out.add(new Check("group_regression", GroupMetrics.N, ALL, null, null, true,
                        "not compared: ACTIVE " + current.id() + " has no per-group metrics"));
            }
            for (GroupMetrics g : gated) {
                Optional<GroupMetrics> was = before.stream().filter(b -> b.name().equals(g.name())).findFirst();
                if (was.isPresent() && was.get().n() >= minGroupSize) {
                    for (String metric : GROUP_METRICS) {
                        regression(out, g, was.get(), current.id(), metric);
                    }
                }
            }
        }
        return out;
    }

    /** The group against the whole held-out set of the same version (which contains the group). */
    private void gap(List<Check> out, GroupMetrics g, String metric, Map<String, Double> overall) {
        Double found = g.metrics().get(metric);
        Double all = overall.get(metric);
        long n = support(g.metrics(), metric, GroupMetrics.N);
        long total = support(overall, metric, "held_out");
        if (found == null || all == null || n == 0 || total <= 0) {
            if (all != null && found == null && n > 0) {
                out.add(new Check("group_gap", metric, g.name(), null, null, false,
                        "expected group " + g.name() + " " + metric + ", found none (n " + n + ")"));
            }
            return;
        }
        // g − overall = (m / N)(g − rest): the rest is an independent sample of m = N − n examples.
        long rest = Math.max(0, total - n);
        double se = rest == 0 ? 0
                : rest / (double) total * Math.sqrt(variance(found, n) + variance((total * all - n * found) / rest, rest));
        double allowed = Math.max(maxGroupGap, SAMPLING_Z * se);
        double bound = all - allowed;
        out.add(new Check("group_gap", metric, g.name(), found, bound, found >= bound,
                String.format(Locale.ROOT, "expected group %s %s >= %.4f (overall %.4f - max(gap %s, %s SE %.4f)), "
                        + "found %.4f (n %d)", g.name(), metric, bound, all, maxGroupGap, SAMPLING_Z, se, found, n)));
    }

    /** The group against the same group of the ACTIVE version (another held-out sample). */
    private void regression(List<Check> out, GroupMetrics g, GroupMetrics was, String activeId, String metric) {
        Double found = g.metrics().get(metric);
        Double then = was.metrics().get(metric);
        long n = support(g.metrics(), metric, GroupMetrics.N);
        long nThen = support(was.metrics(), metric, GroupMetrics.N);
        if (then == null || nThen == 0) {
            return;
        }
        if (found == null || n == 0) {
            out.add(new Check("group_regression", metric, g.name(), null, null, false,
                    "expected group " + g.name() + " " + metric + " to compare with ACTIVE " + activeId + ", found none"));
            return;
        }
        double se = Math.sqrt(variance(found, n) + variance(then, nThen));
        double allowed = Math.max(maxGroupRegression, SAMPLING_Z * se);
        double bound = then - allowed;
        out.add(new Check("group_regression", metric, g.name(), found, bound, found >= bound,
                String.format(Locale.ROOT, "expected group %s %s >= %.4f (ACTIVE %s %.4f - max(tolerance %s, %s SE "
                        + "%.4f)), found %.4f (n %d)", g.name(), metric, bound, activeId, then, maxGroupRegression,
                        SAMPLING_Z, se, found, n)));
    }

    /** Examples behind a share: {@code n_<direction>} for a recall, else {@code countKey}. */
    private static long support(Map<String, Double> metrics, String metric, String countKey) {
        String key = metric.startsWith("recall_") ? "n_" + metric.substring("recall_".length()) : countKey;
        Double n = metrics.get(key);
        return n == null ? 0 : Math.round(n);
    }

    /** Variance of a share of n examples, taken at (k + 1) / (n + 2); a share is clamped to 0..1. */
    private static double variance(double share, long n) {
        double p = (Math.min(1, Math.max(0, share)) * n + 1) / (n + 2);
        return p * (1 - p) / n;
    }

    private static Check floor(String metric, Double found, double bound) {
        boolean passed = found != null && !found.isNaN() && found >= bound;
        return new Check("floor", metric, ALL, found, bound, passed,
                "expected " + metric + " >= " + bound + ", found " + found);
    }
}
