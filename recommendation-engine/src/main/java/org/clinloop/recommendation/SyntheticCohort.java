package org.clinloop.recommendation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of labelled titration snapshots: the model's training data until real
 * clinician feedback accumulates. Same seed, same cohort, on every JVM.
 *
 * <p>Assumptions (a deliberately simple pharmacodynamic model, documented in docs/MODEL.md):
 * <ul>
 *   <li>Untreated home systolic ~ N(152, 18) mm[Hg], clipped to 105–215; diastolic
 *       0.5 × systolic + N(18, 6), clipped to 55–135. One patient in ten is "low-running"
 *       (untreated systolic 110–130).</li>
 *   <li>Five-step dose ladder (e.g. lisinopril 2.5–40 mg); each step taken lowers systolic by
 *       N(7, 2) mm[Hg] (at least 2) and diastolic by 0.55 of that, scaled by adherence
 *       U(0.5, 1.0).</li>
 *   <li>A drift of N(0, 0.4) mm[Hg]/day; 1–2 readings a day (07:00 and 20:00 ± 1 h, evening
 *       4 mm[Hg] lower); measurement noise N(0, 7) systolic and N(0, 4.5) diastolic.</li>
 *   <li>3–14 days of readings before the decision.</li>
 *   <li>Labels: {@link TitrationPolicy} on the noisy readings, then a share {@code labelNoise}
 *       replaced at random (clinicians do not always agree with the guideline).</li>
 * </ul>
 */
public final class SyntheticCohort {

    public static final int HIGHEST_DOSE_STEP = 4;
    private static final Instant EPOCH = Instant.parse("2026-01-05T00:00:00Z");

    /** One labelled training example. */
    public record Example(PatientSnapshot snapshot, TitrationFeatures features, Direction label) {
    }

    private SyntheticCohort() {
    }

    public static List<Example> generate(long seed, int patients, double labelNoise) {
        if (patients < 1) {
            throw new IllegalArgumentException("Expected at least one patient, found " + patients + ".");
        }
        if (labelNoise < 0 || labelNoise > 0.5) {
            throw new IllegalArgumentException("Expected label noise 0..0.5, found " + labelNoise + ".");
        }
        Random rng = new Random(seed);
        List<Example> out = new ArrayList<>(patients);
        for (int p = 0; p < patients; p++) {
            out.add(patient(rng, "synthetic-" + seed + "-" + p, labelNoise));
        }
        return out;
    }

    private static Example patient(Random rng, String id, double labelNoise) {
        boolean lowRunning = rng.nextDouble() < 0.10;
        double untreatedSbp = lowRunning ? 110 + 20 * rng.nextDouble() : clip(152 + 18 * rng.nextGaussian(), 105, 215);
        double untreatedDbp = clip(0.5 * untreatedSbp + 18 + 6 * rng.nextGaussian(), 55, 135);
        int step = rng.nextInt(HIGHEST_DOSE_STEP + 1);
        double perStep = Math.max(2, 7 + 2 * rng.nextGaussian());
        double adherence = 0.5 + 0.5 * rng.nextDouble();
        double drift = 0.4 * rng.nextGaussian();
        int days = 3 + rng.nextInt(12);
        double sbpOnTreatment = untreatedSbp - perStep * (step + 1) * adherence;
        double dbpOnTreatment = untreatedDbp - 0.55 * perStep * (step + 1) * adherence;

        List<BloodPressureReading> readings = new ArrayList<>();
        Instant start = EPOCH.plus(Duration.ofDays(rng.nextInt(300)));
        for (int d = 0; d < days; d++) {
            int perDay = 1 + rng.nextInt(2);
            for (int k = 0; k < perDay; k++) {
                boolean evening = k == 1;
                long minutes = (evening ? 20 * 60 : 7 * 60) + Math.round(60 * rng.nextGaussian());
                Instant at = start.plus(Duration.ofDays(d)).plus(Duration.ofMinutes(minutes));
                double sbp = sbpOnTreatment + drift * d - (evening ? 4 : 0) + 7 * rng.nextGaussian();
                double dbp = dbpOnTreatment + 0.5 * drift * d - (evening ? 2 : 0) + 4.5 * rng.nextGaussian();
                readings.add(new BloodPressureReading(null, at, round(clip(sbp, 70, 240)), round(clip(dbp, 40, 150))));
            }
        }
        Instant asOf = start.plus(Duration.ofDays(days));
        PatientSnapshot snapshot = new PatientSnapshot(id, asOf, readings, step, HIGHEST_DOSE_STEP);
        TitrationFeatures features = FeatureExtractor.extract(snapshot);
        Direction label = TitrationPolicy.label(features);
        if (rng.nextDouble() < labelNoise) {
            label = Direction.values()[rng.nextInt(Direction.values().length)];
        }
        return new Example(snapshot, features, label);
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round(double v) {
        return Math.round(v);
    }
}
