package org.clinloop.recommendation;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.clinloop.audit.Fingerprints;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains the titration classifier: multinomial logistic regression (Tribuo
 * {@link LinearSGDTrainer} with log loss and AdaGrad), chosen for calibrated probabilities and
 * exact per-feature contributions. 80 % of the examples train, 20 % are held out for metrics.
 */
public final class ModelTrainer {

    static final int EPOCHS = 15;
    private static final OffsetDateTime DATA_TIME = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private ModelTrainer() {
    }

    public static TrainedModel train(List<SyntheticCohort.Example> examples, long seed, String dataDescription) {
        if (examples.size() < 50) {
            throw new IllegalArgumentException("Expected at least 50 examples, found " + examples.size() + ".");
        }
        List<SyntheticCohort.Example> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(seed));
        int cut = (int) (shuffled.size() * 0.8);
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> train = dataset(shuffled.subList(0, cut), dataDescription + " (train)", labels);
        MutableDataset<Label> test = dataset(shuffled.subList(cut, shuffled.size()), dataDescription + " (held out)", labels);

        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), EPOCHS,
                Integer.MAX_VALUE, 1, seed);
        Model<Label> model = trainer.train(train);
        LabelEvaluation eval = new LabelEvaluator().evaluate(model, test);

        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("accuracy", eval.accuracy());
        metrics.put("macro_f1", eval.macroAveragedF1());
        metrics.put("held_out", (double) test.size());
        metrics.put("trained_on", (double) train.size());
        for (Direction d : Direction.values()) {
            Label l = new Label(d.name());
            metrics.put("precision_" + d.name().toLowerCase(), eval.precision(l));
            metrics.put("recall_" + d.name().toLowerCase(), eval.recall(l));
        }
        String provenance = new JsonProvenanceSerialization(false).marshalAndSerialize(model.getProvenance());
        return new TrainedModel(model, trainer.getClass().getSimpleName() + "(LogMulticlass, AdaGrad(0.5, 0.1), epochs="
                + EPOCHS + ")", provenance, Fingerprints.sha256Hex(provenance.getBytes(StandardCharsets.UTF_8)),
                datasetHash(examples), seed, Instant.now(), metrics);
    }

    /** Hex SHA-256 over the examples' model inputs and labels, in the given order. */
    public static String datasetHash(List<SyntheticCohort.Example> examples) {
        List<Object> rows = new ArrayList<>(examples.size());
        for (SyntheticCohort.Example e : examples) {
            double[] x = FeatureExtractor.modelInput(e.features());
            List<Double> xs = new ArrayList<>(x.length);
            for (double v : x) {
                xs.add(v);
            }
            rows.add(Map.of("x", xs, "y", e.label().name()));
        }
        return Fingerprints.of(Map.of("examples", rows, "features", FeatureExtractor.FEATURE_NAMES));
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
