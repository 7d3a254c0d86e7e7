package org.clinloop.recommendation;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

/** A Tribuo classifier over {@link FeatureExtractor#modelInput} together with its registry entry. */
public final class TitrationModel {

    private static final String[] NAMES = FeatureExtractor.FEATURE_NAMES.toArray(String[]::new);

    /** The magnitude model's extra input: the direction's sign (-1 down, +1 up); its other inputs are multiplied by it. */
    static final String DIRECTION_SIGN = "direction_sign";
    private static final String[] MAGNITUDE_NAMES;
    /** Magnitude labels: how many ladder steps. */
    static final String ONE_STEP = "ONE_STEP";
    static final String TWO_STEPS = "TWO_STEPS";

    static {
        MAGNITUDE_NAMES = Arrays.copyOf(NAMES, NAMES.length + 1);
        MAGNITUDE_NAMES[NAMES.length] = DIRECTION_SIGN;
    }

    private final Model<Label> model;
    private final Model<Label> magnitude;
    private final ModelVersion version;

    /** A direction model alone: every change it proposes is one step. */
    public TitrationModel(Model<Label> model, ModelVersion version) {
        this(model, null, version);
    }

    /**
     * @param model     the direction classifier (DECREASE / HOLD / INCREASE)
     * @param magnitude the step classifier (one or two steps) for a proposed change, or null for
     *                  one step always (versions registered before magnitudes were learned)
     */
    public TitrationModel(Model<Label> model, Model<Label> magnitude, ModelVersion version) {
        this.model = Objects.requireNonNull(model, "Model is required.");
        this.magnitude = magnitude;
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
    public static Optional<String> featureMismatch(Model<Label> model) {
        Set<String> trained = new TreeSet<>();
        model.getFeatureIDMap().forEach(f -> trained.add(f.getName()));
        Set<String> current = new TreeSet<>(FeatureExtractor.FEATURE_NAMES);
        if (trained.equals(current)) {
            return Optional.empty();
        }
        Set<String> unknown = new TreeSet<>(current);
        unknown.removeAll(trained);
        Set<String> gone = new TreeSet<>(trained);
        gone.removeAll(current);
        return Optional.of("expected a model trained on the current features " + FeatureExtractor.FEATURE_NAMES
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

    /**
     * By how many ladder steps to move in {@code direction}: 0 for HOLD, otherwise the magnitude
     * model's more probable answer (ties to one step), or one step without a magnitude model.
     */
    public int steps(TitrationFeatures features, Direction direction) {
        return steps(magnitude, features, direction);
    }

    /** {@link #steps(TitrationFeatures, Direction)} of a step classifier (null: one step always). */
    static int steps(Model<Label> magnitude, TitrationFeatures features, Direction direction) {
        if (direction == Direction.HOLD) {
            return 0;
        }
        if (magnitude == null) {
            return 1;
        }
        Prediction<Label> p = magnitude.predict(magnitudeExample(features, direction));
        Label two = p.getOutputScores().get(TWO_STEPS);
        Label one = p.getOutputScores().get(ONE_STEP);
        return two != null && (one == null || two.getScore() > one.getScore()) ? 2 : 1;
    }

    Model<Label> magnitudeModel() {
        return magnitude;
    }

    static ArrayExample<Label> magnitudeExample(TitrationFeatures features, Direction direction) {
        return magnitudeExample(features, direction, LabelFactory.UNKNOWN_LABEL);
    }

    static ArrayExample<Label> magnitudeExample(TitrationFeatures features, Direction direction, Label label) {
        // Inputs oriented along the direction of travel (negated for a decrease), so that "far from
        // target that way" and "ladder left that way" are one linear score for both directions.
        double[] x = FeatureExtractor.modelInput(features);
        double[] oriented = new double[x.length + 1];
        for (int i = 0; i < x.length; i++) {
            oriented[i] = direction.sign() * x[i];
        }
        oriented[x.length] = direction.sign();
        return new ArrayExample<>(label, MAGNITUDE_NAMES, oriented);
    }

    static Label stepsLabel(int steps) {
        return new Label(steps >= 2 ? TWO_STEPS : ONE_STEP);
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
        return Explainer.explain(model, features, direction -> steps(features, direction));
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
