package org.clinloop.recommendation;

import java.util.List;
import java.util.Map;

/**
 * Whether the model's probabilities mean what they say: a proposal shown with p 0.9 should be
 * right nine times in ten. Both measures are computed on held-out examples.
 *
 * <ul>
 *   <li><b>Brier score</b> (multiclass): the mean over examples of {@code Σ_k (p_k − y_k)²} over
 *       DECREASE, HOLD and INCREASE, with {@code y_k} 1 for the true direction and 0 otherwise.
 *       0 is perfect, 2 is certain and always wrong; always answering (⅓, ⅓, ⅓) scores ⅔.
 *       It rewards both sharpness and calibration.</li>
 *   <li><b>Expected calibration error</b> of the top label: the proposed direction (as
 *       {@link Recommender#choose} picks it) and its probability, the confidence, are put in
 *       {@value #ECE_BINS} equal-width bins [0, 0.1), [0.1, 0.2) … [0.9, 1.0];
 *       {@code ECE = Σ_b (n_b / N) · |accuracy_b − mean confidence_b|}. 0 is perfect.</li>
 * </ul>
 */
final class Calibration {

    static final int ECE_BINS = 10;

    private Calibration() {
    }

    static double brier(List<Map<Direction, Double>> probabilities, List<Direction> truth) {
        check(probabilities, truth);
        double sum = 0;
        for (int i = 0; i < truth.size(); i++) {
            for (Direction d : Direction.values()) {
                double y = d == truth.get(i) ? 1 : 0;
                double p = probabilities.get(i).getOrDefault(d, 0.0);
                sum += (p - y) * (p - y);
            }
        }
        return sum / truth.size();
    }

    static double expectedCalibrationError(List<Map<Direction, Double>> probabilities, List<Direction> truth,
                                           int bins) {
        check(probabilities, truth);
        if (bins < 1) {
            throw new IllegalArgumentException("Expected at least one bin, found " + bins + ".");
        }
        long[] count = new long[bins];
        double[] confidence = new double[bins];
        double[] correct = new double[bins];
        for (int i = 0; i < truth.size(); i++) {
            Direction top = Recommender.choose(probabilities.get(i));
            double p = probabilities.get(i).get(top);
            int b = Math.min(bins - 1, (int) Math.floor(p * bins));
            count[b]++;
            confidence[b] += p;
            correct[b] += top == truth.get(i) ? 1 : 0;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += Math.abs(correct[b] - confidence[b]) / truth.size();
            }
        }
        return ece;
    }

    private static void check(List<Map<Direction, Double>> probabilities, List<Direction> truth) {
        if (truth.isEmpty() || probabilities.size() != truth.size()) {
            throw new IllegalArgumentException("Expected as many probability rows as true directions (at least one), "
                    + "found " + probabilities.size() + " and " + truth.size() + ".");
        }
    }
}
