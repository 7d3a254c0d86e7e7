package org.clinloop.recommendation;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes {@link TitrationFeatures} from a {@link PatientSnapshot}, and the scaled vector the
 * model is trained on. Scaling is fixed and documented here (not learned), so that a feature's
 * contribution can be read in clinical units.
 */
public final class FeatureExtractor {

    /** Home blood-pressure target of the hypertension protocol: below 130/80 mm[Hg]. */
    public static final double TARGET_SYSTOLIC = 130;
    public static final double TARGET_DIASTOLIC = 80;
    public static final Duration WINDOW = Duration.ofDays(7);

    public static final String SBP_MEAN_7D = "sbp_mean_7d";
    public static final String DBP_MEAN_7D = "dbp_mean_7d";
    public static final String SBP_LAST = "sbp_last";
    public static final String DBP_LAST = "dbp_last";
    public static final String SBP_SLOPE_7D = "sbp_slope_7d";
    public static final String READINGS_7D = "readings_7d";
    public static final String SHARE_ABOVE_TARGET_7D = "share_above_target_7d";
    public static final String DOSE_STEP = "dose_step";
    public static final String DOSE_AT_MAX = "dose_at_max";
    public static final String DOSE_AT_MIN = "dose_at_min";
    public static final String SBP_SLOPE_MISSING = "sbp_slope_7d_missing";

    public static final List<String> FEATURE_NAMES = List.of(SBP_MEAN_7D, DBP_MEAN_7D, SBP_LAST, DBP_LAST,
            SBP_SLOPE_7D, READINGS_7D, SHARE_ABOVE_TARGET_7D, DOSE_STEP, DOSE_AT_MAX, DOSE_AT_MIN, SBP_SLOPE_MISSING);

    private FeatureExtractor() {
    }

    public static TitrationFeatures extract(PatientSnapshot snapshot) {
        Instant from = snapshot.asOf().minus(WINDOW);
        List<BloodPressureReading> window = snapshot.readings().stream()
                .filter(r -> r.effective().isAfter(from))
                .toList();
        if (window.isEmpty()) {
            // The latest reading is always seen, even when it is older than the window.
            window = List.of(snapshot.latest());
        }
        Set<String> missing = new TreeSet<>();
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(SBP_MEAN_7D, window.stream().mapToDouble(BloodPressureReading::systolic).average().orElseThrow());
        v.put(DBP_MEAN_7D, window.stream().mapToDouble(BloodPressureReading::diastolic).average().orElseThrow());
        v.put(SBP_LAST, snapshot.latest().systolic());
        v.put(DBP_LAST, snapshot.latest().diastolic());
        Double slope = slopePerDay(window);
        if (slope == null) {
            missing.add(SBP_SLOPE_7D);
        }
        v.put(SBP_SLOPE_7D, slope == null ? 0.0 : slope);
        v.put(READINGS_7D, (double) window.size());
        v.put(SHARE_ABOVE_TARGET_7D, window.stream()
                .filter(r -> r.systolic() >= TARGET_SYSTOLIC || r.diastolic() >= TARGET_DIASTOLIC).count()
                / (double) window.size());
        v.put(DOSE_STEP, (double) snapshot.doseStep());
        v.put(DOSE_AT_MAX, snapshot.doseStep() == snapshot.highestDoseStep() ? 1.0 : 0.0);
        v.put(DOSE_AT_MIN, snapshot.doseStep() == 0 ? 1.0 : 0.0);
        v.put(SBP_SLOPE_MISSING, slope == null ? 1.0 : 0.0);
        return new TitrationFeatures(v, missing);
    }

    /**
     * The model's input: each feature centred on the protocol target and divided by a clinical
     * scale (20 mm[Hg] systolic, 10 mm[Hg] diastolic, 5 mm[Hg]/day trend, 14 readings, 4 steps).
     * A missing trend enters as 0 (no trend) with its indicator set.
     */
    public static double[] modelInput(TitrationFeatures f) {
        return new double[] {
            (f.value(SBP_MEAN_7D) - TARGET_SYSTOLIC) / 20,
            (f.value(DBP_MEAN_7D) - TARGET_DIASTOLIC) / 10,
            (f.value(SBP_LAST) - TARGET_SYSTOLIC) / 20,
            (f.value(DBP_LAST) - TARGET_DIASTOLIC) / 10,
            f.value(SBP_SLOPE_7D) / 5,
            f.value(READINGS_7D) / 14,
            f.value(SHARE_ABOVE_TARGET_7D),
            f.value(DOSE_STEP) / 4,
            f.value(DOSE_AT_MAX),
            f.value(DOSE_AT_MIN),
            f.value(SBP_SLOPE_MISSING),
        };
    }

    /** Least-squares systolic slope in mm[Hg] per day, or null with fewer than two readings over 12 hours. */
    static Double slopePerDay(List<BloodPressureReading> window) {
        if (window.size() < 2) {
            return null;
        }
        double t0 = window.get(0).effective().getEpochSecond();
        double span = (window.get(window.size() - 1).effective().getEpochSecond() - t0) / 86400.0;
        if (span < 0.5) {
            return null;
        }
        double meanT = 0;
        double meanY = 0;
        for (BloodPressureReading r : window) {
            meanT += (r.effective().getEpochSecond() - t0) / 86400.0;
            meanY += r.systolic();
        }
        meanT /= window.size();
        meanY /= window.size();
        double num = 0;
        double den = 0;
        for (BloodPressureReading r : window) {
            double dt = (r.effective().getEpochSecond() - t0) / 86400.0 - meanT;
            num += dt * (r.systolic() - meanY);
            den += dt * dt;
        }
        return den == 0 ? null : num / den;
    }
}
