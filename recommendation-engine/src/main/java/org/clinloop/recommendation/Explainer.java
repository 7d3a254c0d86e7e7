package org.clinloop.recommendation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.SplittableRandom;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.SparseModel;
import org.tribuo.classification.Label;
import org.tribuo.classification.explanations.lime.LIMEBase;
import org.tribuo.classification.explanations.lime.LIMEExplanation;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.slm.SLMTrainer;

/** Builds an {@link Explanation}: exact for Tribuo's linear models, LIME otherwise. */
final class Explainer {

    /** LIME samples around the input; seeded so an explanation can be reproduced. */
    static final int LIME_SAMPLES = 1000;
    static final long LIME_SEED = 20261123L;
    /** Features the LIME surrogate may use (LARS-lasso selects them); the others contribute 0. */
    static final int LIME_FEATURES = 5;
    /** Agreement required between the weights' softmax and the model's own probabilities. */
    static final double SOFTMAX_TOLERANCE = 1e-9;

    private static final String[] NAMES = FeatureExtractor.FEATURE_NAMES.toArray(String[]::new);
    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry(FeatureExtractor.SBP_MEAN_7D, "7-day mean systolic"),
            Map.entry(FeatureExtractor.DBP_MEAN_7D, "7-day mean diastolic"),
            Map.entry(FeatureExtractor.SBP_LAST, "last systolic"),
            Map.entry(FeatureExtractor.DBP_LAST, "last diastolic"),
            Map.entry(FeatureExtractor.SBP_SLOPE_7D, "systolic trend"),
            Map.entry(FeatureExtractor.READINGS_7D, "number of readings"),
            Map.entry(FeatureExtractor.SHARE_ABOVE_TARGET_7D, "share above target"),
            Map.entry(FeatureExtractor.DOSE_STEP, "dose step"),
            Map.entry(FeatureExtractor.DOSE_AT_MAX, "at the highest dose"),
            Map.entry(FeatureExtractor.DOSE_AT_MIN, "at the lowest dose"),
            Map.entry(FeatureExtractor.SBP_SLOPE_MISSING, "trend unknown"),
            Map.entry(FeatureExtractor.SBP_MEAN_30D, "30-day mean systolic"),
            Map.entry(FeatureExtractor.DBP_MEAN_30D, "30-day mean diastolic"),
            Map.entry(FeatureExtractor.DRUG_CLASS_CCB, "on a calcium-channel blocker"),
            Map.entry(FeatureExtractor.ABOVE_ACTION_7D, "above the action threshold 135/85"),
            Map.entry(FeatureExtractor.BELOW_FLOOR_7D, "below the floor (105, last 95)"),
            Map.entry(FeatureExtractor.FAR_ABOVE_7D, "far above target (150/95)"),
            Map.entry(FeatureExtractor.FAR_BELOW_7D, "far below (95, last 85)"),
            Map.entry(FeatureExtractor.POOR_ADHERENCE_7D, "poor reported adherence"),
            Map.entry(FeatureExtractor.SBP_SD_7D, "systolic variability"),
            Map.entry(FeatureExtractor.SBP_SD_7D + FeatureExtractor.MISSING, "variability unknown"),
            Map.entry(FeatureExtractor.NIGHT_DIP_7D, "night-time dipping"),
            Map.entry(FeatureExtractor.NIGHT_DIP_7D + FeatureExtractor.MISSING, "no night readings"),
            Map.entry(FeatureExtractor.ADHERENCE_7D, "adherence"),
            Map.entry(FeatureExtractor.ADHERENCE_7D + FeatureExtractor.MISSING, "adherence unknown"),
            Map.entry(FeatureExtractor.HEART_RATE_7D, "heart rate"),
            Map.entry(FeatureExtractor.HEART_RATE_7D + FeatureExtractor.MISSING, "heart rate unknown"),
            Map.entry(FeatureExtractor.STEPS_7D, "daily steps"),
            Map.entry(FeatureExtractor.STEPS_7D + FeatureExtractor.MISSING, "activity unknown"),
            Map.entry(FeatureExtractor.AGE, "age"),
            Map.entry(FeatureExtractor.AGE + FeatureExtractor.MISSING, "age unknown"),
            Map.entry(FeatureExtractor.EGFR, "eGFR"),
            Map.entry(FeatureExtractor.EGFR + FeatureExtractor.MISSING, "eGFR unknown"),
            Map.entry(FeatureExtractor.POTASSIUM, "potassium"),
            Map.entry(FeatureExtractor.POTASSIUM + FeatureExtractor.MISSING, "potassium unknown"));

    private Explainer() {
    }

    /**
     * @param steps how many ladder steps the proposal moves in a direction (the sentence names them)
     */
    static Explanation explain(Model<Label> model, TitrationFeatures features, ToIntFunction<Direction> steps) {
        Map<Direction, Double> p = TitrationModel.probabilities(model.predict(TitrationModel.example(features)));
        Direction direction = Recommender.choose(p);
        Direction against = runnerUp(p, direction, model.getOutputIDInfo());
        double[] x = FeatureExtractor.modelInput(features);
        int n = steps.applyAsInt(direction);
        if (model instanceof LinearSGDModel linear && reproducesProbabilities(linear, x, p)) {
            return exact(linear, features, x, p, direction, against, n);
        }
        return lime(model, features, x, p, direction, against, n);
    }

    /**
     * Every direction's logit {@code z_k = b_k + Σ_j w_k,j · x_j} from the weight matrix (one row
     * per output, one column per feature, the bias last); NaN for a direction the model never saw.
     */
    static Map<Direction, Double> logits(LinearSGDModel model, double[] x) {
        DenseMatrix w = model.getWeightsCopy();
        ImmutableFeatureMap featureIds = model.getFeatureIDMap();
        int bias = w.getDimension2Size() - 1;
        Map<Direction, Double> z = new EnumMap<>(Direction.class);
        for (Direction d : Direction.values()) {
            int k = outputId(model.getOutputIDInfo(), d);
            if (k < 0) {
                z.put(d, Double.NaN);
                continue;
            }
            double sum = w.get(k, bias);
            for (int j = 0; j < NAMES.length; j++) {
                int id = featureIds.getID(NAMES[j]);
                sum += id < 0 ? 0 : w.get(k, id) * x[j];
            }
            z.put(d, sum);
        }
        return z;
    }

    /** Softmax over the directions the model knows. */
    static Map<Direction, Double> softmax(Map<Direction, Double> logits) {
        double max = logits.values().stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).max()
                .orElseThrow();
        double sum = 0;
        for (double v : logits.values()) {
            sum += Double.isNaN(v) ? 0 : Math.exp(v - max);
        }
        Map<Direction, Double> out = new EnumMap<>(Direction.class);
        for (Map.Entry<Direction, Double> e : logits.entrySet()) {
            out.put(e.getKey(), e.getValue().isNaN() ? 0.0 : Math.exp(e.getValue() - max) / sum);
        }
        return out;
    }

    /**
     * True when the weights reproduce the model's probabilities through a softmax: the
     * assumption behind an exact decomposition (it holds for the log-loss objective; a model
     * trained with another objective falls back to LIME).
     */
    private static boolean reproducesProbabilities(LinearSGDModel model, double[] x, Map<Direction, Double> p) {
        if (model.getWeightsCopy().getDimension2Size() != model.getFeatureIDMap().size() + 1) {
            return false;
        }
        Map<Direction, Double> q = softmax(logits(model, x));
        return p.keySet().stream().allMatch(d -> Math.abs(p.get(d) - q.get(d)) <= SOFTMAX_TOLERANCE);
    }

    private static Explanation exact(LinearSGDModel model, TitrationFeatures features, double[] x,
                                     Map<Direction, Double> p, Direction direction, Direction against, int steps) {
        DenseMatrix w = model.getWeightsCopy();
        ImmutableFeatureMap featureIds = model.getFeatureIDMap();
        int c = outputId(model.getOutputIDInfo(), direction);
        int a = outputId(model.getOutputIDInfo(), against);
        int bias = w.getDimension2Size() - 1;
        List<Explanation.Contribution> contributions = new ArrayList<>();
        for (int j = 0; j < NAMES.length; j++) {
            int id = featureIds.getID(NAMES[j]);
            double weight = id < 0 ? 0 : w.get(c, id) - w.get(a, id);
            contributions.add(new Explanation.Contribution(NAMES[j], features.value(NAMES[j]), x[j], weight * x[j]));
        }
        double intercept = w.get(c, bias) - w.get(a, bias);
        return new Explanation(direction, against, Explanation.Method.EXACT_LINEAR, intercept, contributions,
                sentence(features, direction, steps, against, p.get(direction), Explanation.Method.EXACT_LINEAR,
                        intercept, contributions));
    }

    private static Explanation lime(Model<Label> model, TitrationFeatures features, double[] x,
                                    Map<Direction, Double> p, Direction direction, Direction against, int steps) {
        // Forward stepwise selection without normalisation. Tribuo 4.3.2's LARS trainers normalise every
        // column, and a column that does not vary among the samples (the trend-missing indicator, never
        // set in the synthetic cohort) turns into NaN and fails training with a NullPointerException.
        LIMEBase lime = new LIMEBase(new SplittableRandom(LIME_SEED), model, new SLMTrainer(false, LIME_FEATURES),
                LIME_SAMPLES);
        LIMEExplanation explanation = lime.explain(TitrationModel.example(features));
        SparseModel<Regressor> surrogate = explanation.getModel();
        double full = surrogateMargin(surrogate, NAMES, x, direction, against);
        List<Explanation.Contribution> contributions = new ArrayList<>();
        double explained = 0;
        for (int j = 0; j < NAMES.length; j++) {
            double without = surrogateMargin(surrogate, without(NAMES, j), without(x, j), direction, against);
            contributions.add(new Explanation.Contribution(NAMES[j], features.value(NAMES[j]), x[j], full - without));
            explained += full - without;
        }
        return new Explanation(direction, against, Explanation.Method.LIME, full - explained, contributions,
                sentence(features, direction, steps, against, p.get(direction), Explanation.Method.LIME,
                        full - explained, contributions));
    }

    private static double surrogateMargin(SparseModel<Regressor> surrogate, String[] names, double[] x,
                                          Direction direction, Direction against) {
        Regressor r = surrogate.predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, x)).getOutput();
        return value(r, direction) - value(r, against);
    }

    private static double value(Regressor r, Direction d) {
        return r.getDimension(d.name()).map(Regressor.DimensionTuple::getValue).orElse(0.0);
    }

    static String sentence(TitrationFeatures f, Direction direction, int steps, Direction against, double p,
                           Explanation.Method method, double intercept, List<Explanation.Contribution> contributions) {
        double sbp = f.value(FeatureExtractor.SBP_MEAN_7D);
        double dbp = f.value(FeatureExtractor.DBP_MEAN_7D);
        String level = sbp < 105 ? "low (below 105 systolic)"
                : String.format(Locale.ROOT, "%s target %.0f/%.0f",
                        sbp >= FeatureExtractor.TARGET_SYSTOLIC || dbp >= FeatureExtractor.TARGET_DIASTOLIC
                                ? "above" : "below",
                        FeatureExtractor.TARGET_SYSTOLIC, FeatureExtractor.TARGET_DIASTOLIC);
        double slope = f.value(FeatureExtractor.SBP_SLOPE_7D);
        String trend = f.value(FeatureExtractor.SBP_SLOPE_MISSING) == 1.0 ? "trend unknown"
                : Math.abs(slope) < 0.5 ? "stable"
                : String.format(Locale.ROOT, "%s %.1f mm[Hg]/day", slope > 0 ? "rising" : "falling", Math.abs(slope));
        int step = (int) f.value(FeatureExtractor.DOSE_STEP);
        String ladder = f.value(FeatureExtractor.DOSE_AT_MAX) == 1.0 ? " (highest)"
                : f.value(FeatureExtractor.DOSE_AT_MIN) == 1.0 ? " (lowest)" : "";
        String action = switch (direction) {
            case INCREASE -> "increase " + (steps >= 2 ? "two steps" : "one step");
            case DECREASE -> "decrease " + (steps >= 2 ? "two steps" : "one step");
            case HOLD -> "hold the dose";
        };
        // The intercept ("model default") competes with the features: it is the margin of a patient exactly
        // at target (blood-pressure inputs are centred there) with every other input at 0.
        String format = method == Explanation.Method.EXACT_LINEAR ? "%s (%+.1f)" : "%s (%+.2f)";
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("model default", intercept);
        contributions.forEach(c -> parts.put(WORDS.get(c.feature()), c.contribution()));
        List<String> favouring = parts.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.comparingByValue(Comparator.reverseOrder())).limit(2)
                .map(e -> String.format(Locale.ROOT, format, e.getKey(), e.getValue())).toList();
        List<String> opposing = parts.entrySet().stream().filter(e -> e.getValue() < 0)
                .sorted(Map.Entry.comparingByValue()).limit(1)
                .map(e -> String.format(Locale.ROOT, format, e.getKey(), e.getValue())).toList();
        String adherence = f.missing().contains(FeatureExtractor.ADHERENCE_7D) ? "adherence not reported"
                : String.format(Locale.ROOT, "adherence %.0f%%", 100 * f.value(FeatureExtractor.ADHERENCE_7D));
        return String.format(Locale.ROOT,
                "7-day mean %.0f/%.0f mm[Hg], %s; %.0f%% of readings above target; %s; %s; dose step %d%s → %s "
                        + "(p %.2f). Strongest reasons for %s over %s (%s): %s%s.",
                sbp, dbp, level, 100 * f.value(FeatureExtractor.SHARE_ABOVE_TARGET_7D), trend, adherence, step, ladder,
                action, p,
                direction.name().toLowerCase(Locale.ROOT), against.name().toLowerCase(Locale.ROOT),
                method == Explanation.Method.EXACT_LINEAR ? "log-odds" : "approximate: LIME, probability",
                favouring.isEmpty() ? "none" : String.join(", ", favouring),
                opposing.isEmpty() ? "" : "; against: " + opposing.get(0));
    }

    /** The most probable direction other than {@code chosen} that the model knows; ties go to HOLD, then in order. */
    private static Direction runnerUp(Map<Direction, Double> p, Direction chosen, ImmutableOutputInfo<Label> outputs) {
        Direction best = null;
        for (Direction d : List.of(Direction.HOLD, Direction.DECREASE, Direction.INCREASE)) {
            if (d != chosen && outputId(outputs, d) >= 0 && (best == null || p.get(d) > p.get(best))) {
                best = d;
            }
        }
        if (best == null) {
            throw new IllegalStateException("Expected a model that knows at least two directions, found "
                    + outputs.getDomain() + ".");
        }
        return best;
    }

    private static int outputId(ImmutableOutputInfo<Label> outputs, Direction d) {
        return outputs.getID(new Label(d.name()));
    }

    private static String[] without(String[] names, int j) {
        List<String> out = new ArrayList<>(List.of(names));
        out.remove(j);
        return out.toArray(String[]::new);
    }

    private static double[] without(double[] x, int j) {
        double[] out = new double[x.length - 1];
        for (int i = 0, k = 0; i < x.length; i++) {
            if (i != j) {
                out[k++] = x[i];
            }
        }
        return out;
    }
}
