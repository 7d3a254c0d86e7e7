package org.clinloop.recommendation;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

/** A Tribuo classifier over {@link FeatureExtractor#modelInput} together with its registry entry. */
public final class TitrationModel {

    private static final String[] NAMES = FeatureExtractor.FEATURE_NAMES.toArray(String[]::new);

    private final Model<Label> model;
    private final ModelVersion version;

    public TitrationModel(Model<Label> model, ModelVersion version) {
        this.model = Objects.requireNonNull(model, "Model is required.");
        this.version = Objects.requireNonNull(version, "Model version is required.");
        if (!model.generatesProbabilities()) {
            throw new IllegalArgumentException("Model " + version.id() + " must produce probabilities.");
        }
        featureMismatch(model).ifPresent(m -> {
            throw new IllegalArgumentException("Model " + version.id() + " cannot be served: " + m + ".");
        });
    }

    /**
     * Why a model cannot score this ClinLoop's features, if it cannot: it was trained on another
     * feature set (an older version's), and Tribuo would silently read every feature it does not
     * know as 0.
     */
    public static java.util.Optional<String> featureMismatch(Model<Label> model) {
        java.util.Set<String> trained = new java.util.TreeSet<>();
        model.getFeatureIDMap().forEach(f -> trained.add(f.getName()));
        java.util.Set<String> current = new java.util.TreeSet<>(FeatureExtractor.FEATURE_NAMES);
        if (trained.equals(current)) {
            return java.util.Optional.empty();
        }
        java.util.Set<String> unknown = new java.util.TreeSet<>(current);
        unknown.removeAll(trained);
        java.util.Set<String> gone = new java.util.TreeSet<>(trained);
        gone.removeAll(current);
        return java.util.Optional.of("expected a model trained on the current features " + FeatureExtractor.FEATURE_NAMES
                + ", found one trained without " + unknown + (gone.isEmpty() ? "" : " and with " + gone)
                + " (retrain it)");
    }

    public ModelVersion version() {
        return version;
    }

    /** Class probabilities for every direction. */
    public Map<Direction, Double> probabilities(TitrationFeatures features) {
        return probabilities(model.predict(example(features)));
    }

    /** Every direction's score in a Tribuo prediction; a direction the model never saw scores 0. */
    static Map<Direction, Double> probabilities(Prediction<Label> prediction) {
        Map<Direction, Double> out = new EnumMap<>(Direction.class);
        for (Direction d : Direction.values()) {
            Label scored = prediction.getOutputScores().get(d.name());
            out.put(d, scored == null ? 0.0 : scored.getScore());
        }
        return out;
    }

    /**
     * Why the model proposes what it does for these features: exact per-feature contributions to
     * the log-odds of the proposal over the runner-up for a logistic-regression model, a seeded
     * LIME approximation for any other (see {@link Explanation}).
     */
    public Explanation explain(TitrationFeatures features) {
        return Explainer.explain(model, features);
    }

    /** Whether {@link #explain} is exact and cheap (a linear model) rather than a LIME approximation. */
    public boolean explainsExactly() {
        return model instanceof org.tribuo.classification.sgd.linear.LinearSGDModel;
    }

    Model<Label> tribuoModel() {
        return model;
    }

    static ArrayExample<Label> example(TitrationFeatures features) {
        return new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, NAMES, FeatureExtractor.modelInput(features));
    }

    static ArrayExample<Label> example(TitrationFeatures features, Direction label) {
        return new ArrayExample<>(new Label(label.name()), NAMES, FeatureExtractor.modelInput(features));
    }
}
