package org.clinloop.recommendation;

import java.util.ArrayList;
import java.util.List;

/**
 * Metric floors a model version must meet before it may act on patients.
 *
 * @param minAccuracy held-out accuracy floor
 * @param minMacroF1  held-out macro-averaged F1 floor
 * @param minRecall   floor on every class's recall (no direction may be ignored)
 */
public record PromotionGates(double minAccuracy, double minMacroF1, double minRecall) {

    public static final PromotionGates DEFAULT = new PromotionGates(0.80, 0.70, 0.50);

    /** The gates this version fails, each as "expected … found …"; empty when it passes. */
    public List<String> failures(ModelVersion version) {
        List<String> out = new ArrayList<>();
        check(out, "accuracy", version.metrics().get("accuracy"), minAccuracy);
        check(out, "macro_f1", version.metrics().get("macro_f1"), minMacroF1);
        for (Direction d : Direction.values()) {
            String key = "recall_" + d.name().toLowerCase();
            check(out, key, version.metrics().get(key), minRecall);
        }
        return out;
    }

    private static void check(List<String> out, String metric, Double found, double floor) {
        if (found == null || found.isNaN() || found < floor) {
            out.add("expected " + metric + " >= " + floor + ", found " + found);
        }
    }
}
