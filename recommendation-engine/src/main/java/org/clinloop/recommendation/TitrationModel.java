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
