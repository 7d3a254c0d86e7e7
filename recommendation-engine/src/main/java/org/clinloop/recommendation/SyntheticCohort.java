package org.clinloop.recommendation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *       1 − U²/2; 30 % of patients are on a calcium-channel blocker instead ({@link #CCB_SHARE}).</li>
 *   <li>A drift of N(0, 0.4) mm[Hg]/day; 1–2 readings a day (07:00 and 20:00 ± 1 h, evening
 *       4 mm[Hg] lower); measurement noise N(0, 7) systolic and N(0, 4.5) diastolic.</li>
 *   <li>3–14 days of readings before the decision.</li>
 *   <li>Labels: {@link TitrationPolicy} on the noisy readings, then a share {@code labelNoise}
 *       replaced at random (clinicians do not always agree with the guideline).</li>
 *   <li>Groups ({@link #SEX}, {@link #AGE_BAND}, {@link #SKIN_TONE}), drawn from a stream of
 *       their own, so that they change no reading, feature or label: female/male 1:1; age band
 *       (the fairness audit's bands) &lt;45 15 %, 45–64 40 %, 65–74 25 %, 75+ 20 %; Fitzpatrick
 *       skin type I–III 70 %, IV–VI 30 %. Synthetic labels for per-group metrics, not a model of
 *       how blood pressure differs between groups.</li>
 *   <li>Optionally ({@link #generate(long, int, double, MeasurementBias)}, off by default) a
 *       {@link MeasurementBias}: the wrist device misreads for one group. The label still comes
 *       from the readings a validated device would have taken; the features, which the model
 *       sees, from the wrist readings.</li>
 * </ul>
 *
 * <p>Without a bias the cohort of a seed is the one earlier versions generated, reading for
 * reading and label for label (the dataset hashes stored with registered models depend on it):
 * groups and bias draw from their own random streams, never from the physiology's.
 */
public final class SyntheticCohort {

    public static final int HIGHEST_DOSE_STEP = 4;
    /** Group attribute: administrative sex, valued as FHIR {@code Patient.gender} codes ({@code female}, {@code male}). */
    public static final String SEX = "sex";
    /** Group attribute: age band, valued as the fairness audit's bands ({@code <45}, {@code 45-64}, {@code 65-74}, {@code 75+}). */
    public static final String AGE_BAND = "age_band";
    /** Group attribute of the synthetic cohort only (no FHIR Patient carries it): Fitzpatrick skin type. */
    public static final String SKIN_TONE = "skin_tone";
    public static final String FITZPATRICK_I_III = "fitzpatrick_I-III";
    public static final String FITZPATRICK_IV_VI = "fitzpatrick_IV-VI";

    private static final Instant EPOCH = Instant.parse("2026-01-05T00:00:00Z");
    /** Mixed into the seed for the groups' stream and the bias's stream ("groups", "bias" in ASCII). */
    private static final long GROUP_STREAM = 0x67726f757073L;
    private static final long BIAS_STREAM = 0x62696173L;
    /** Mixed into the seed for the signals' stream: age, reported adherence, heart rate, steps, labs, night readings. */
    private static final long SIGNAL_STREAM = 0x7369676e616cL;

    /**
     * One labelled training example.
     *
     * @param snapshot what the model sees (the wrist readings, when a bias is simulated)
     * @param features the snapshot's features
     * @param label    what the guideline (and some disagreeing clinicians) would do
     * @param steps    by how many ladder steps (0 for HOLD)
     * @param groups   attribute → group: {@link #SEX}, {@link #AGE_BAND}, {@link #SKIN_TONE}
     */
    public record Example(PatientSnapshot snapshot, TitrationFeatures features, Direction label, int steps,
                          Map<String, String> groups) {

        public Example {
            groups = Map.copyOf(groups);
            new TitrationPolicy.Decision(label, steps); // validates
        }

        /** An example of one step (none for HOLD). */
        public Example(PatientSnapshot snapshot, TitrationFeatures features, Direction label,
                       Map<String, String> groups) {
            this(snapshot, features, label, label == Direction.HOLD ? 0 : 1, groups);
        }
    }

    /**
     * A wrist device that misreads for one group: each of that group's readings is offset and gets
     * extra noise (on top of the cohort's measurement noise). Illustrative numbers, not measured
     * ones; see docs/MODEL.md.
     *
     * @param attribute       group attribute, e.g. {@link #SKIN_TONE}
     * @param group           the affected group, e.g. {@link #FITZPATRICK_IV_VI}
     * @param systolicOffset  added to every systolic reading, mm[Hg] (negative: reads low)
     * @param diastolicOffset added to every diastolic reading, mm[Hg]
     * @param systolicNoise   standard deviation of the extra systolic noise, mm[Hg]
     * @param diastolicNoise  standard deviation of the extra diastolic noise, mm[Hg]
     */
    public record MeasurementBias(String attribute, String group, double systolicOffset, double diastolicOffset,
                                  double systolicNoise, double diastolicNoise) {

        /**
         * Wrist photoplethysmography reading low and noisier for Fitzpatrick IV–VI: −10/−5 mm[Hg],
         * extra noise SD 8/5 mm[Hg]. The under-reading hides uncontrolled blood pressure, the
         * harmful direction for titration. Illustrative: large enough for a 4,000-patient cohort
         * to show it, not an effect size measured in a study.
         */
        public static final MeasurementBias WRIST_PPG_DARKER_SKIN =
                new MeasurementBias(SKIN_TONE, FITZPATRICK_IV_VI, -10, -5, 8, 5);

        public MeasurementBias {
            Objects.requireNonNull(attribute, "Bias attribute is required.");
            Objects.requireNonNull(group, "Bias group is required.");
            if (!(systolicNoise >= 0 && diastolicNoise >= 0)) {
                throw new IllegalArgumentException("Expected extra noise >= 0, found " + systolicNoise + " / "
                        + diastolicNoise + ".");
            }
        }

        boolean affects(Map<String, String> groups) {
            return group.equals(groups.get(attribute));
        }
    }

    private SyntheticCohort() {
    }

    /** The cohort of {@code seed}, every reading taken by an unbiased device. */
    public static List<Example> generate(long seed, int patients, double labelNoise) {
        return cohort(seed, patients, labelNoise, null);
    }

    /**
     * The cohort of {@code seed} with the wrist device misreading as {@code bias} says: the same
     * patients, groups and labels as without it; only the affected group's readings (and so its
     * features) differ.
     */
    public static List<Example> generate(long seed, int patients, double labelNoise, MeasurementBias bias) {
        return cohort(seed, patients, labelNoise, Objects.requireNonNull(bias,
                "A bias is required here; generate(seed, patients, labelNoise) simulates none."));
    }

    private static List<Example> cohort(long seed, int patients, double labelNoise, MeasurementBias bias) {
        if (patients < 1) {
            throw new IllegalArgumentException("Expected at least one patient, found " + patients + ".");
        }
        if (labelNoise < 0 || labelNoise > 0.5) {
            throw new IllegalArgumentException("Expected label noise 0..0.5, found " + labelNoise + ".");
        }
        Random rng = new Random(seed);
        Random groupRng = new Random(seed ^ GROUP_STREAM);
        Random biasRng = new Random(seed ^ BIAS_STREAM);
        Random signalRng = new Random(seed ^ SIGNAL_STREAM);
        List<Example> out = new ArrayList<>(patients);
        for (int p = 0; p < patients; p++) {
            Map<String, String> groups = groups(groupRng);
            MeasurementBias misreading = bias != null && bias.affects(groups) ? bias : null;
            out.add(patient(rng, "synthetic-" + seed + "-" + p, labelNoise, groups, misreading, biasRng, signalRng));
        }
        return out;
    }

    private static Map<String, String> groups(Random rng) {
        Map<String, String> g = new LinkedHashMap<>();
        g.put(SEX, rng.nextDouble() < 0.5 ? "female" : "male");
        double a = rng.nextDouble();
        g.put(AGE_BAND, a < 0.15 ? "<45" : a < 0.55 ? "45-64" : a < 0.80 ? "65-74" : "75+");
        g.put(SKIN_TONE, rng.nextDouble() < 0.70 ? FITZPATRICK_I_III : FITZPATRICK_IV_VI);
        return g;
    }

    private static Example patient(Random rng, String id, double labelNoise, Map<String, String> groups,
                                   MeasurementBias bias, Random biasRng, Random signalRng) {
        boolean lowRunning = rng.nextDouble() < 0.10;
        double untreatedSbp = lowRunning ? 110 + 20 * rng.nextDouble() : clip(152 + 18 * rng.nextGaussian(), 105, 215);
        double untreatedDbp = clip(0.5 * untreatedSbp + 18 + 6 * rng.nextGaussian(), 55, 135);
        int step = rng.nextInt(HIGHEST_DOSE_STEP + 1);
        // The drug class comes from the signals' stream, so the physiology's draws stay in step.
        DrugClass drug = signalRng.nextDouble() < CCB_SHARE ? DrugClass.CALCIUM_CHANNEL_BLOCKER
                : DrugClass.ACE_INHIBITOR;
        double perStep = Math.max(2, 7 + 2 * rng.nextGaussian()) * (drug == DrugClass.CALCIUM_CHANNEL_BLOCKER ? 1.15 : 1);
        double diastolicShare = drug == DrugClass.CALCIUM_CHANNEL_BLOCKER ? 0.45 : 0.55;
        double u = rng.nextDouble();
        double adherence = 1 - 0.5 * u * u;
        double drift = 0.4 * rng.nextGaussian();
        int days = 3 + rng.nextInt(12);
        double sbpOnTreatment = untreatedSbp - perStep * (step + 1) * adherence;
        double dbpOnTreatment = untreatedDbp - diastolicShare * perStep * (step + 1) * adherence;

        List<BloodPressureReading> readings = new ArrayList<>();
        List<BloodPressureReading> wrist = new ArrayList<>();
        Instant start = EPOCH.plus(Duration.ofDays(rng.nextInt(300)));
        for (int d = 0; d < days; d++) {
            int perDay = 1 + rng.nextInt(2);
            for (int k = 0; k < perDay; k++) {
                boolean evening = k == 1;
                long minutes = (evening ? 20 * 60 : 7 * 60) + Math.round(60 * rng.nextGaussian());
                Instant at = start.plus(Duration.ofDays(d)).plus(Duration.ofMinutes(minutes));
                double sbp = sbpOnTreatment + drift * d - (evening ? 4 : 0) + 7 * rng.nextGaussian();
                double dbp = dbpOnTreatment + 0.5 * drift * d - (evening ? 2 : 0) + 4.5 * rng.nextGaussian();
                measure(readings, wrist, at, sbp, dbp, bias, biasRng);
            }
        }
        Instant asOf = start.plus(Duration.ofDays(days));
        // Signals: their own stream, so that the daytime readings above are the same as without them.
        PatientSignals signals = signals(signalRng, groups.get(AGE_BAND), adherence, drug);
        if (signalRng.nextDouble() < NIGHT_WEARERS) {
            double dip = (10 + 6 * signalRng.nextGaussian()) / 100;
            for (int d = 0; d < days; d++) {
                long minutes = 26 * 60 + Math.round(45 * signalRng.nextGaussian());
                Instant at = start.plus(Duration.ofDays(d)).plus(Duration.ofMinutes(minutes));
                if (!at.isBefore(asOf)) {
                    continue;
                }
                double sbp = (sbpOnTreatment + drift * d) * (1 - dip) + 7 * signalRng.nextGaussian();
                double dbp = (dbpOnTreatment + 0.5 * drift * d) * (1 - dip) + 4.5 * signalRng.nextGaussian();
                measure(readings, wrist, at, sbp, dbp, bias, biasRng);
            }
        }
        PatientSnapshot validated = new PatientSnapshot(id, asOf, readings, step, HIGHEST_DOSE_STEP, signals, drug);
        TitrationFeatures validatedFeatures = FeatureExtractor.extract(validated);
        TitrationPolicy.Decision decision = TitrationPolicy.decide(validatedFeatures);
        if (rng.nextDouble() < labelNoise) {
            decision = TitrationPolicy.Decision.of(Direction.values()[rng.nextInt(Direction.values().length)]);
        }
        if (bias == null) {
            return new Example(validated, validatedFeatures, decision.direction(), decision.steps(), groups);
        }
        PatientSnapshot seen = new PatientSnapshot(id, asOf, wrist, step, HIGHEST_DOSE_STEP, signals, drug);
        return new Example(seen, FeatureExtractor.extract(seen), decision.direction(), decision.steps(), groups);
    }

    /**
     * Share of patients titrated on a calcium-channel blocker (amlodipine-like: each step lowers
     * systolic 15 % more than the ACE inhibitor's, diastolic by 0.45 of it instead of 0.55, and
     * heart rate runs 3 /min faster); the others are on the ACE inhibitor.
     */
    static final double CCB_SHARE = 0.30;

    /** Share of patients whose wearable also measures at night (one reading at about 02:00). */
    static final double NIGHT_WEARERS = 0.35;

    /**
     * Age within the patient's band (known for 95 %); reported adherence, the true adherence plus
     * N(0, 0.08) in sevenths of a week (reported by 60 %); heart rate N(72, 9) (70 %); daily steps
     * N(6500, 2800), 300–25,000 (65 %); eGFR 95 − 0.7 × (age − 40) + N(0, 14), 8–130, and
     * potassium N(4.4, 0.45), 2.8–6.5 (each 50 %). Every draw is made whether or not the value is
     * known, so one missing value changes no other.
     */
    private static PatientSignals signals(Random rng, String ageBand, double adherence, DrugClass drug) {
        double[] band = switch (ageBand) {
            case "<45" -> new double[] {30, 45};
            case "45-64" -> new double[] {45, 65};
            case "65-74" -> new double[] {65, 75};
            default -> new double[] {75, 90};
        };
        double age = Math.floor(band[0] + (band[1] - band[0]) * rng.nextDouble());
        boolean ageKnown = rng.nextDouble() < 0.95;
        double reported = Math.round(7 * clip(adherence + 0.08 * rng.nextGaussian(), 0, 1)) / 7.0;
        boolean adherenceKnown = rng.nextDouble() < 0.60;
        // A dihydropyridine's reflex tachycardia: a few beats a minute faster.
        double heartRate = round(clip(72 + (drug == DrugClass.CALCIUM_CHANNEL_BLOCKER ? 3 : 0)
                + 9 * rng.nextGaussian(), 40, 140));
        boolean heartRateKnown = rng.nextDouble() < 0.70;
        double steps = round(clip(6500 + 2800 * rng.nextGaussian(), 300, 25_000));
        boolean stepsKnown = rng.nextDouble() < 0.65;
        double egfr = round(clip(95 - 0.7 * (age - 40) + 14 * rng.nextGaussian(), 8, 130));
        boolean egfrKnown = rng.nextDouble() < 0.50;
        double potassium = Math.round(10 * clip(4.4 + 0.45 * rng.nextGaussian(), 2.8, 6.5)) / 10.0;
        boolean potassiumKnown = rng.nextDouble() < 0.50;
        return new PatientSignals(java.time.ZoneOffset.UTC, ageKnown ? age : null, adherenceKnown ? reported : null,
                heartRateKnown ? heartRate : null, stepsKnown ? steps : null, egfrKnown ? egfr : null,
                potassiumKnown ? potassium : null);
    }

    /**
     * Records one true reading, and what the misreading wrist device shows for it when a bias is
     * simulated (its own random stream, so the true readings do not move).
     */
    private static void measure(List<BloodPressureReading> readings, List<BloodPressureReading> wrist, Instant at,
                                double sbp, double dbp, MeasurementBias bias, Random biasRng) {
        readings.add(new BloodPressureReading(null, at, round(clip(sbp, 70, 240)), round(clip(dbp, 40, 150))));
        if (bias != null) {
            double wristSbp = sbp + bias.systolicOffset() + bias.systolicNoise() * biasRng.nextGaussian();
            double wristDbp = dbp + bias.diastolicOffset() + bias.diastolicNoise() * biasRng.nextGaussian();
            wrist.add(new BloodPressureReading(null, at, round(clip(wristSbp, 70, 240)), round(clip(wristDbp, 40, 150))));
        }
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round(double v) {
        return Math.round(v);
    }
}
