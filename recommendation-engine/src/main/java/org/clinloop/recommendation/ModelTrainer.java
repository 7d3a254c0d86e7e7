package org.clinloop.recommendation;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.clinloop.audit.Fingerprints;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains the titration classifier: multinomial logistic regression (Tribuo
 * {@link LinearSGDTrainer} with log loss and AdaGrad), chosen for calibrated probabilities and
 * exact per-feature contributions. 80 % of the examples train, 20 % are held out for metrics.
 */
public final class ModelTrainer {

    static final int EPOCHS = 15;
    /** How {@link #train(List, long, String)} names its algorithm in the registry. */
    public static final String LOGISTIC_REGRESSION = "LinearSGDTrainer(LogMulticlass, AdaGrad(0.5, 0.1), epochs="
            + EPOCHS + ")";
    /** OLCUT's marshalled form: {@code "key":"trained-at","value":"2026-11-23T14:42:13.837225239Z"}. */
    private static final Pattern TRAINED_AT = Pattern.compile("(\"key\":\"trained-at\",\"value\":\")[^\"]*(\")");
    private static final OffsetDateTime DATA_TIME = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private ModelTrainer() {
    }

    /**
     * Trains the titration classifier (logistic regression, see the class comment) on the seeded
     * 80/20 split of {@code examples} and measures it on the held-out 20 %.
     */
    public static TrainedModel train(List<SyntheticCohort.Example> examples, long seed, String dataDescription) {
        return train(examples, seed, dataDescription, logisticRegression(seed), LOGISTIC_REGRESSION);
    }

    /**
     * Trains any Tribuo classifier on the same seeded 80/20 split as
     * {@link #train(List, long, String)} and measures it the same way, so that trainers can be
     * compared (see {@link TrainerComparison}).
     *
     * <p>Metrics, all on the held-out examples: {@code accuracy}, {@code macro_f1},
     * {@code precision_<direction>} and {@code recall_<direction>}, {@code brier} (multiclass
     * Brier score) and {@code ece} (expected calibration error of the proposed direction, 10
     * bins; both defined in {@code Calibration}), with {@code held_out}, {@code trained_on} and
     * {@code n_<direction>} counting the examples; and per group of the examples'
     * {@link SyntheticCohort.Example#groups() groups}, {@code n}, {@code accuracy},
     * {@code macro_f1}, {@code recall_<direction>} and {@code n_<direction>} under
     * {@code group.<attribute>=<group>.<metric>} ({@link GroupMetrics}).
     *
     * @param trainer   a trainer used for this call only: Tribuo trainers advance their random
     *                  state with every {@code train} call, so reuse would not reproduce
     * @param algorithm how the registry and the portal name the trainer
     * @throws IllegalArgumentException when the model's scores are not probabilities (non-negative,
     *                                  summing to 1 over the directions). Tribuo's CART and forest
     *                                  models pass (their scores are the class shares of a leaf,
     *                                  averaged over trees) although their
     *                                  {@code generatesProbabilities()} is false in 4.3.2, so
     *                                  {@link TitrationModel} would not serve them as they are
     */
    public static TrainedModel train(List<SyntheticCohort.Example> examples, long seed, String dataDescription,
                                     Trainer<Label> trainer, String algorithm) {
        return train(examples, TrainingFeedback.NONE, seed, dataDescription, trainer, algorithm);
    }

    /**
     * Trains the titration classifier (logistic regression) on the seeded 80/20 split of the
     * cohort {@code examples} plus every example of {@code feedback}, each weighted
     * {@link TrainingFeedback#weight()}. The held-out metrics are measured on the cohort's held-out
     * 20 % only, exactly as without feedback, so that the promotion gates compare like with like;
     * what the feedback changed is measured against clinicians by {@link FeedbackRetraining}.
     */
    public static TrainedModel train(List<SyntheticCohort.Example> examples, TrainingFeedback feedback, long seed,
                                     String dataDescription) {
        return train(examples, feedback, seed, dataDescription, logisticRegression(seed), LOGISTIC_REGRESSION);
    }

    private static TrainedModel train(List<SyntheticCohort.Example> examples, TrainingFeedback feedback, long seed,
                                      String dataDescription, Trainer<Label> trainer, String algorithm) {
        Split split = split(examples, seed);
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> train = dataset(split.train(), dataDescription + " (train)", labels);
        for (ClinicianFeedback f : feedback.examples()) {
            ArrayExample<Label> e = TitrationModel.example(f.titrationFeatures(), f.label());
            e.setWeight((float) feedback.weight());
            train.add(e);
        }
        Model<Label> model = trainer.train(train);
        Model<Label> magnitude = logisticRegression(seed).train(magnitudeDataset(split.train(), feedback,
                dataDescription + " (train, changes)", labels));
        Map<String, Double> metrics = evaluate(model, algorithm, split.heldOut(), dataDescription + " (held out)",
                labels);
        metrics.putAll(magnitudeMetrics(magnitude, split.heldOut()));
        metrics.put("trained_on", (double) train.size());
        if (!feedback.isEmpty()) {
            metrics.put("feedback_examples", (double) feedback.examples().size());
            metrics.put("feedback_weight", feedback.weight());
        }
        JsonProvenanceSerialization json = new JsonProvenanceSerialization(false);
        String provenance = joinArrays(json.marshalAndSerialize(model.getProvenance()),
                json.marshalAndSerialize(magnitude.getProvenance()));
        return new TrainedModel(model, algorithm, provenance,
                Fingerprints.sha256Hex(provenance.getBytes(StandardCharsets.UTF_8)),
                datasetHash(examples, feedback), seed, Instant.now(), metrics, feedback, magnitude);
    }

    /** Two marshalled provenance lists (JSON arrays) as one: the direction model's, then the step model's. */
    private static String joinArrays(String first, String second) {
        String a = first.strip();
        String b = second.strip();
        return a.substring(0, a.length() - 1) + "," + b.substring(1);
    }

    /**
     * The step classifier's data: every training example of a change (not HOLD), labelled by its
     * steps, with the direction's sign as an extra input; and feedback that changed the dose by
     * one or two steps, weighted as the feedback is.
     */
    private static MutableDataset<Label> magnitudeDataset(List<SyntheticCohort.Example> train, TrainingFeedback feedback,
                                                          String description, LabelFactory labels) {
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance(description, DATA_TIME, labels),
                labels);
        for (SyntheticCohort.Example e : train) {
            if (e.label() != Direction.HOLD) {
                ds.add(TitrationModel.magnitudeExample(e.features(), e.label(), TitrationModel.stepsLabel(e.steps())));
            }
        }
        for (ClinicianFeedback f : feedback.examples()) {
            int steps = f.labelledSteps();
            if (f.label() != Direction.HOLD && steps >= 1 && steps <= TitrationPolicy.MAX_STEPS) {
                ArrayExample<Label> e = TitrationModel.magnitudeExample(f.titrationFeatures(), f.label(),
                        TitrationModel.stepsLabel(steps));
                e.setWeight((float) feedback.weight());
                ds.add(e);
            }
        }
        return ds;
    }

    /**
     * How well the step classifier sizes the held-out changes, asked for each example's true
     * direction: {@code magnitude_accuracy}, {@code magnitude_n}, {@code magnitude_n_two} and
     * {@code magnitude_recall_two} (when any two-step change is held out).
     */
    static Map<String, Double> magnitudeMetrics(Model<Label> magnitude, List<SyntheticCohort.Example> heldOut) {
        int n = 0;
        int correct = 0;
        int twos = 0;
        int twosFound = 0;
        for (SyntheticCohort.Example e : heldOut) {
            if (e.label() == Direction.HOLD) {
                continue;
            }
            // Sized exactly as a live proposal is (ties to one step).
            int steps = TitrationModel.steps(magnitude, e.features(), e.label());
            n++;
            correct += steps == e.steps() ? 1 : 0;
            if (e.steps() == 2) {
                twos++;
                twosFound += steps == 2 ? 1 : 0;
            }
        }
        Map<String, Double> out = new TreeMap<>();
        out.put("magnitude_n", (double) n);
        out.put("magnitude_n_two", (double) twos);
        if (n > 0) {
            out.put("magnitude_accuracy", correct / (double) n);
        }
        if (twos > 0) {
            out.put("magnitude_recall_two", twosFound / (double) twos);
        }
        return out;
    }

    /** The trainer behind {@link #train(List, long, String)}: a new instance, seeded. */
    static LinearSGDTrainer logisticRegression(long seed) {
        return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), EPOCHS, Integer.MAX_VALUE, 1, seed);
    }

    /** The seeded 80/20 split of every training run: shuffle with {@code new Random(seed)}, cut at 80 %. */
    static Split split(List<SyntheticCohort.Example> examples, long seed) {
        if (examples.size() < 50) {
            throw new IllegalArgumentException("Expected at least 50 examples, found " + examples.size() + ".");
        }
        List<SyntheticCohort.Example> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(seed));
        int cut = (int) (shuffled.size() * 0.8);
        return new Split(List.copyOf(shuffled.subList(0, cut)), List.copyOf(shuffled.subList(cut, shuffled.size())));
    }

    /** Training and held-out examples of one run. */
    record Split(List<SyntheticCohort.Example> train, List<SyntheticCohort.Example> heldOut) {
    }

    private static Map<String, Double> evaluate(Model<Label> model, String algorithm,
                                                List<SyntheticCohort.Example> heldOut, String description,
                                                LabelFactory labels) {
        MutableDataset<Label> test = dataset(heldOut, description, labels);
        List<Prediction<Label>> predictions = model.predict(test);
        LabelEvaluation eval = new LabelEvaluator().evaluate(model, predictions, test.getProvenance());

        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("accuracy", eval.accuracy());
        metrics.put("macro_f1", eval.macroAveragedF1());
        metrics.put("held_out", (double) test.size());
        for (Direction d : Direction.values()) {
            Label l = new Label(d.name());
            metrics.put("precision_" + d.name().toLowerCase(), eval.precision(l));
            metrics.put("recall_" + d.name().toLowerCase(), eval.recall(l));
            metrics.put("n_" + d.name().toLowerCase(),
                    (double) heldOut.stream().filter(e -> e.label() == d).count());
        }
        List<Map<Direction, Double>> probabilities = predictions.stream().map(TitrationModel::probabilities).toList();
        for (Map<Direction, Double> p : probabilities) {
            double sum = p.values().stream().mapToDouble(Double::doubleValue).sum();
            if (Math.abs(sum - 1) > 1e-6 || p.values().stream().anyMatch(v -> v < 0)) {
                throw new IllegalArgumentException("Expected " + algorithm + " to score the directions with "
                        + "probabilities (non-negative, summing to 1), found " + p + ".");
            }
        }
        List<Direction> truth = heldOut.stream().map(SyntheticCohort.Example::label).toList();
        metrics.put("brier", Calibration.brier(probabilities, truth));
        metrics.put("ece", Calibration.expectedCalibrationError(probabilities, truth, Calibration.ECE_BINS));
        List<Direction> predicted = predictions.stream().map(p -> Direction.valueOf(p.getOutput().getLabel())).toList();
        metrics.putAll(groupMetrics(heldOut, predicted));
        return metrics;
    }

    /**
     * Per-group metrics of held-out predictions ({@code predicted}, in the order of
     * {@code heldOut}), keyed as {@link GroupMetrics#key} says. The predicted direction is the
     * model's highest-scoring one, as for the overall metrics, so that the groups of one attribute
     * average (weighted by {@code n}) to the overall accuracy.
     */
    static Map<String, Double> groupMetrics(List<SyntheticCohort.Example> heldOut, List<Direction> predicted) {
        Map<String, Map<String, List<Integer>>> members = new TreeMap<>();
        for (int i = 0; i < heldOut.size(); i++) {
            for (Map.Entry<String, String> g : heldOut.get(i).groups().entrySet()) {
                members.computeIfAbsent(g.getKey(), a -> new TreeMap<>())
                        .computeIfAbsent(g.getValue(), v -> new ArrayList<>()).add(i);
            }
        }
        Map<String, Double> out = new TreeMap<>();
        members.forEach((attribute, groups) -> groups.forEach((group, indices) -> {
            List<Direction> t = indices.stream().map(i -> heldOut.get(i).label()).toList();
            List<Direction> p = indices.stream().map(predicted::get).toList();
            classification(t, p).forEach((metric, v) -> out.put(GroupMetrics.key(attribute, group, metric), v));
        }));
        return out;
    }

    /**
     * {@code n}, {@code accuracy}, {@code macro_f1} (mean F1 over the directions that occur in
     * {@code truth} or {@code predicted}), {@code n_<direction>} (examples of each direction in
     * {@code truth}) and {@code recall_<direction>} for each direction that occurs in
     * {@code truth}; nothing undefined is returned.
     */
    static Map<String, Double> classification(List<Direction> truth, List<Direction> predicted) {
        Map<Direction, int[]> counts = new EnumMap<>(Direction.class); // tp, fp, fn
        int correct = 0;
        for (int i = 0; i < truth.size(); i++) {
            Direction t = truth.get(i);
            Direction p = predicted.get(i);
            if (t == p) {
                correct++;
                counts.computeIfAbsent(t, d -> new int[3])[0]++;
            } else {
                counts.computeIfAbsent(p, d -> new int[3])[1]++;
                counts.computeIfAbsent(t, d -> new int[3])[2]++;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(GroupMetrics.N, (double) truth.size());
        if (truth.isEmpty()) {
            return out;
        }
        out.put("accuracy", correct / (double) truth.size());
        double f1 = 0;
        for (int[] c : counts.values()) {
            f1 += 2.0 * c[0] / (2.0 * c[0] + c[1] + c[2]);
        }
        out.put("macro_f1", f1 / counts.size());
        for (Direction d : Direction.values()) {
            int[] c = counts.getOrDefault(d, new int[3]);
            out.put("n_" + d.name().toLowerCase(), (double) (c[0] + c[2]));
            if (c[0] + c[2] > 0) {
                out.put("recall_" + d.name().toLowerCase(), c[0] / (double) (c[0] + c[2]));
            }
        }
        return out;
    }

    /**
     * Hex SHA-256 of a model's provenance JSON with every {@code trained-at} time blanked: the hash
     * of how the model was made rather than of when. Retraining with the same seed, data and
     * trainer on the same platform gives the same value; {@link TrainedModel#provenanceHash()}
     * differs every run, because Tribuo records the training time (once per model, and once per
     * member of an ensemble). The provenance also names the Java version, OS name and architecture
     * and the Tribuo version, so a different platform gives a different value by design.
     */
    public static String provenanceHashWithoutTimes(String provenanceJson) {
        String blanked = TRAINED_AT.matcher(provenanceJson).replaceAll("$1$2");
        return Fingerprints.sha256Hex(blanked.getBytes(StandardCharsets.UTF_8));
    }

    /** Hex SHA-256 over the examples' model inputs, labels and steps, in the given order. */
    public static String datasetHash(List<SyntheticCohort.Example> examples) {
        return datasetHash(examples, TrainingFeedback.NONE);
    }

    /**
     * Hex SHA-256 over the cohort examples' model inputs and labels and, when there is feedback,
     * each feedback example's proposal, model input and label, in training order, and the weight.
     * Without feedback the value is the cohort-only hash earlier versions stored.
     */
    public static String datasetHash(List<SyntheticCohort.Example> examples, TrainingFeedback feedback) {
        List<Object> rows = new ArrayList<>(examples.size());
        for (SyntheticCohort.Example e : examples) {
            rows.add(Map.of("x", inputs(e.features()), "y", e.label().name(), "steps", e.steps()));
        }
        if (feedback.isEmpty()) {
            return Fingerprints.of(Map.of("examples", rows, "features", FeatureExtractor.FEATURE_NAMES));
        }
        List<Object> fed = new ArrayList<>(feedback.examples().size());
        for (ClinicianFeedback f : feedback.examples()) {
            fed.add(Map.of("proposal", f.proposalId(), "x", inputs(f.titrationFeatures()), "y", f.label().name(),
                    "steps", f.labelledSteps()));
        }
        return Fingerprints.of(Map.of("examples", rows, "features", FeatureExtractor.FEATURE_NAMES,
                "feedback", fed, "feedbackWeight", feedback.weight()));
    }

    private static List<Double> inputs(TitrationFeatures features) {
        double[] x = FeatureExtractor.modelInput(features);
        List<Double> xs = new ArrayList<>(x.length);
        for (double v : x) {
            xs.add(v);
        }
        return xs;
    }

    private static MutableDataset<Label> dataset(List<SyntheticCohort.Example> examples, String description,
                                                 LabelFactory labels) {
        MutableDataset<Label> ds = new MutableDataset<>(
                new SimpleDataSourceProvenance(description, DATA_TIME, labels), labels);
        for (SyntheticCohort.Example e : examples) {
            ds.add(TitrationModel.example(e.features(), e.label()));
        }
        return ds;
    }
}
