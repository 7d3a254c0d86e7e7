package org.clinloop.recommendation;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Computes {@link TitrationFeatures} from a {@link PatientSnapshot}, and the scaled vector the
 * model is trained on. Scaling is fixed and documented here (not learned), so that a feature's
 * contribution can be read in clinical units.
 *
 * <p>Blood-pressure means, the share above target and the variability are over <em>daytime</em>
 * readings (outside 00:00–05:00 in the patient's zone): the home target (below 130/80) is a daytime
 * target, and a wearable's night readings run lower by design. When the window holds no daytime
 * reading, all its readings are used. Every feature that can be unknown has a
 * {@code <name>_missing} indicator; a missing value is recorded as 0 and enters the model at its
 * reference point (input 0), so only the indicator carries it.
 */
public final class FeatureExtractor {

    /** Home blood-pressure target of the hypertension protocol: below 130/80 mm[Hg]. */
    public static final double TARGET_SYSTOLIC = 130;
    public static final double TARGET_DIASTOLIC = 80;
    public static final Duration WINDOW = Duration.ofDays(7);
    public static final Duration LONG_WINDOW = Duration.ofDays(30);
    /**
     * Night: 00:00 to before 05:00 local time, a narrow fixed window (as ambulatory monitoring
     * uses), so that late-evening and early-morning home readings stay daytime readings.
     */
    static final int NIGHT_TO_HOUR = 5;

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
    public static final String SBP_MEAN_30D = "sbp_mean_30d";
    public static final String DBP_MEAN_30D = "dbp_mean_30d";
    public static final String SBP_SD_7D = "sbp_sd_7d";
    public static final String NIGHT_DIP_7D = "night_dip_7d";
    public static final String ADHERENCE_7D = "adherence_7d";
    public static final String HEART_RATE_7D = "heart_rate_7d";
    public static final String STEPS_7D = "steps_7d";
    public static final String AGE = "age";
    public static final String EGFR = "egfr";
    public static final String POTASSIUM = "potassium";
    /** 1 when the 7-day daytime mean is at or above the guideline's action threshold (135 systolic or 85 diastolic). */
    public static final String ABOVE_ACTION_7D = "above_action_7d";
    /** 1 when the 7-day daytime mean systolic is below 105, or the last below 95: too low. */
    public static final String BELOW_FLOOR_7D = "below_floor_7d";
    /** 1 when far above target: daytime mean at or above 150 systolic or 95 diastolic. */
    public static final String FAR_ABOVE_7D = "far_above_7d";
    /** 1 when far below: daytime mean systolic below 95, or the last below 85. */
    public static final String FAR_BELOW_7D = "far_below_7d";
    /** 1 when the patient reported taking fewer than 80 % of doses over the week (0 when not reported). */
    public static final String POOR_ADHERENCE_7D = "poor_adherence_7d";
    /** 1 on a calcium-channel blocker, 0 on an ACE inhibitor (the reference class). */
    public static final String DRUG_CLASS_CCB = "drug_class_ccb";
    public static final String MISSING = "_missing";

    /**
     * Features that may be unknown, each with its indicator, and how it enters the model:
     * (value − reference) / scale.
     */
    private record Signal(String name, double reference, double scale) {
    }

    private static final List<Signal> OPTIONAL = List.of(
            new Signal(SBP_SD_7D, 8, 5),
            new Signal(NIGHT_DIP_7D, 10, 10),
            new Signal(ADHERENCE_7D, 1, 0.25),
            new Signal(HEART_RATE_7D, 70, 10),
            new Signal(STEPS_7D, 6000, 3000),
            new Signal(AGE, 60, 15),
            new Signal(EGFR, 75, 25),
            new Signal(POTASSIUM, 4.5, 0.5));

    public static final List<String> FEATURE_NAMES;

    static {
        List<String> names = new ArrayList<>(List.of(SBP_MEAN_7D, DBP_MEAN_7D, SBP_LAST, DBP_LAST, SBP_SLOPE_7D,
                READINGS_7D, SHARE_ABOVE_TARGET_7D, DOSE_STEP, DOSE_AT_MAX, DOSE_AT_MIN, SBP_SLOPE_MISSING,
                SBP_MEAN_30D, DBP_MEAN_30D, DRUG_CLASS_CCB, ABOVE_ACTION_7D, BELOW_FLOOR_7D, FAR_ABOVE_7D,
                FAR_BELOW_7D, POOR_ADHERENCE_7D));
        for (Signal o : OPTIONAL) {
            names.add(o.name());
            names.add(o.name() + MISSING);
        }
        FEATURE_NAMES = List.copyOf(names);
    }

    /** The 0/1 features: ladder ends and every missing-value indicator. */
    public static boolean isBinary(String feature) {
        return feature.equals(DOSE_AT_MAX) || feature.equals(DOSE_AT_MIN) || feature.equals(DRUG_CLASS_CCB)
                || THRESHOLDS.contains(feature) || feature.endsWith(MISSING);
    }

    /** The 0/1 indicators of the guideline's thresholds (see {@link TitrationPolicy}). */
    static final java.util.Set<String> THRESHOLDS = java.util.Set.of(ABOVE_ACTION_7D, BELOW_FLOOR_7D, FAR_ABOVE_7D,
            FAR_BELOW_7D, POOR_ADHERENCE_7D);

    private FeatureExtractor() {
    }

    public static TitrationFeatures extract(PatientSnapshot snapshot) {
        ZoneId zone = snapshot.signals().zone();
        List<BloodPressureReading> window = within(snapshot, WINDOW);
        List<BloodPressureReading> daytime = window.stream().filter(r -> !atNight(r.effective(), zone)).toList();
        List<BloodPressureReading> level = daytime.isEmpty() ? window : daytime;
        List<BloodPressureReading> longWindow = within(snapshot, LONG_WINDOW);
        List<BloodPressureReading> longDaytime = longWindow.stream().filter(r -> !atNight(r.effective(), zone))
                .toList();
        List<BloodPressureReading> longLevel = longDaytime.isEmpty() ? longWindow : longDaytime;

        Set<String> missing = new TreeSet<>();
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(SBP_MEAN_7D, mean(level, BloodPressureReading::systolic));
        v.put(DBP_MEAN_7D, mean(level, BloodPressureReading::diastolic));
        v.put(SBP_LAST, snapshot.latest().systolic());
        v.put(DBP_LAST, snapshot.latest().diastolic());
        Double slope = slopePerDay(window);
        if (slope == null) {
            missing.add(SBP_SLOPE_7D);
        }
        v.put(SBP_SLOPE_7D, slope == null ? 0.0 : slope);
        v.put(READINGS_7D, (double) window.size());
        v.put(SHARE_ABOVE_TARGET_7D, level.stream()
                .filter(r -> r.systolic() >= TARGET_SYSTOLIC || r.diastolic() >= TARGET_DIASTOLIC).count()
                / (double) level.size());
        v.put(DOSE_STEP, (double) snapshot.doseStep());
        v.put(DOSE_AT_MAX, snapshot.doseStep() == snapshot.highestDoseStep() ? 1.0 : 0.0);
        v.put(DOSE_AT_MIN, snapshot.doseStep() == 0 ? 1.0 : 0.0);
        v.put(SBP_SLOPE_MISSING, slope == null ? 1.0 : 0.0);
        v.put(SBP_MEAN_30D, mean(longLevel, BloodPressureReading::systolic));
        v.put(DBP_MEAN_30D, mean(longLevel, BloodPressureReading::diastolic));
        v.put(DRUG_CLASS_CCB, snapshot.drugClass() == DrugClass.CALCIUM_CHANNEL_BLOCKER ? 1.0 : 0.0);

        double sbp = v.get(SBP_MEAN_7D);
        double dbp = v.get(DBP_MEAN_7D);
        double last = v.get(SBP_LAST);
        PatientSignals s = snapshot.signals();
        v.put(ABOVE_ACTION_7D, sbp >= TitrationPolicy.ACTION_SYSTOLIC || dbp >= TitrationPolicy.ACTION_DIASTOLIC ? 1.0 : 0.0);
        v.put(BELOW_FLOOR_7D, sbp < TitrationPolicy.FLOOR_SYSTOLIC || last < TitrationPolicy.FLOOR_LAST_SYSTOLIC ? 1.0 : 0.0);
        v.put(FAR_ABOVE_7D, sbp >= TitrationPolicy.FAR_ABOVE_SYSTOLIC || dbp >= TitrationPolicy.FAR_ABOVE_DIASTOLIC
                ? 1.0 : 0.0);
        v.put(FAR_BELOW_7D, sbp < TitrationPolicy.FAR_BELOW_SYSTOLIC || last < TitrationPolicy.FAR_BELOW_LAST_SYSTOLIC
                ? 1.0 : 0.0);
        v.put(POOR_ADHERENCE_7D, s.adherence() != null && s.adherence() < TitrationPolicy.POOR_ADHERENCE ? 1.0 : 0.0);
        optional(v, missing, SBP_SD_7D, level.size() >= 3 ? standardDeviation(level) : null);
        optional(v, missing, NIGHT_DIP_7D, nightDip(window, zone));
        optional(v, missing, ADHERENCE_7D, s.adherence());
        optional(v, missing, HEART_RATE_7D, s.heartRate());
        optional(v, missing, STEPS_7D, s.steps());
        optional(v, missing, AGE, s.age());
        optional(v, missing, EGFR, s.egfr());
        optional(v, missing, POTASSIUM, s.potassium());
        return new TitrationFeatures(v, missing);
    }

    private static void optional(Map<String, Double> v, Set<String> missing, String name, Double value) {
        v.put(name, value == null ? 0.0 : value);
        v.put(name + MISSING, value == null ? 1.0 : 0.0);
        if (value == null) {
            missing.add(name);
        }
    }

    /**
     * The model's input: each feature centred on the protocol target or a reference value and
     * divided by a clinical scale (20 mm[Hg] systolic, 10 mm[Hg] diastolic, 5 mm[Hg]/day trend, 14
     * readings, 4 steps; see {@link #OPTIONAL} for the others). A missing value enters as 0 with
     * its indicator set.
     */
    public static double[] modelInput(TitrationFeatures f) {
        double[] x = new double[FEATURE_NAMES.size()];
        int i = 0;
        x[i++] = (f.value(SBP_MEAN_7D) - TARGET_SYSTOLIC) / 20;
        x[i++] = (f.value(DBP_MEAN_7D) - TARGET_DIASTOLIC) / 10;
        x[i++] = (f.value(SBP_LAST) - TARGET_SYSTOLIC) / 20;
        x[i++] = (f.value(DBP_LAST) - TARGET_DIASTOLIC) / 10;
        x[i++] = f.value(SBP_SLOPE_7D) / 5;
        x[i++] = f.value(READINGS_7D) / 14;
        x[i++] = f.value(SHARE_ABOVE_TARGET_7D);
        x[i++] = f.value(DOSE_STEP) / 4;
        x[i++] = f.value(DOSE_AT_MAX);
        x[i++] = f.value(DOSE_AT_MIN);
        x[i++] = f.value(SBP_SLOPE_MISSING);
        x[i++] = (f.value(SBP_MEAN_30D) - TARGET_SYSTOLIC) / 20;
        x[i++] = (f.value(DBP_MEAN_30D) - TARGET_DIASTOLIC) / 10;
        x[i++] = f.value(DRUG_CLASS_CCB);
        x[i++] = f.value(ABOVE_ACTION_7D);
        x[i++] = f.value(BELOW_FLOOR_7D);
        x[i++] = f.value(FAR_ABOVE_7D);
        x[i++] = f.value(FAR_BELOW_7D);
        x[i++] = f.value(POOR_ADHERENCE_7D);
        for (Signal o : OPTIONAL) {
            boolean absent = f.value(o.name() + MISSING) != 0;
            x[i++] = absent ? 0 : (f.value(o.name()) - o.reference()) / o.scale();
            x[i++] = absent ? 1 : 0;
        }
        return x;
    }

    /** Readings in the window before the decision; the latest reading is always seen, even when older. */
    private static List<BloodPressureReading> within(PatientSnapshot snapshot, Duration window) {
        Instant from = snapshot.asOf().minus(window);
        List<BloodPressureReading> in = snapshot.readings().stream().filter(r -> r.effective().isAfter(from)).toList();
        return in.isEmpty() ? List.of(snapshot.latest()) : in;
    }

    static boolean atNight(Instant at, ZoneId zone) {
        int hour = at.atZone(zone).getHour();
        return hour < NIGHT_TO_HOUR;
    }

    /**
     * Nocturnal dipping, percent: how far the mean night systolic lies below the mean daytime
     * systolic (10–20 % is the usual "dipper"; below 10 a non-dipper). Null without at least two
     * night and two daytime readings.
     */
    static Double nightDip(List<BloodPressureReading> window, ZoneId zone) {
        List<BloodPressureReading> night = window.stream().filter(r -> atNight(r.effective(), zone)).toList();
        List<BloodPressureReading> day = window.stream().filter(r -> !atNight(r.effective(), zone)).toList();
        if (night.size() < 2 || day.size() < 2) {
            return null;
        }
        double dayMean = mean(day, BloodPressureReading::systolic);
        return 100 * (dayMean - mean(night, BloodPressureReading::systolic)) / dayMean;
    }

    private static double mean(List<BloodPressureReading> readings, Function<BloodPressureReading, Double> value) {
        return readings.stream().mapToDouble(value::apply).average().orElseThrow();
    }

    /** Sample standard deviation of systolic readings, mm[Hg]. */
    static double standardDeviation(List<BloodPressureReading> readings) {
        double m = mean(readings, BloodPressureReading::systolic);
        double ss = 0;
        for (BloodPressureReading r : readings) {
            ss += (r.systolic() - m) * (r.systolic() - m);
        }
        return Math.sqrt(ss / (readings.size() - 1));
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
