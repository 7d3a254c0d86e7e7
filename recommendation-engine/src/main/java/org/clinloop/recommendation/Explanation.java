package org.clinloop.recommendation;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Why the model proposes {@code direction} rather than {@code against}, feature by feature.
 *
 * <p>The quantity explained is the <em>margin</em> of the proposal over the runner-up, the most
 * probable other direction:
 * <ul>
 *   <li>{@link Method#EXACT_LINEAR} (logistic regression): the log-odds
 *       {@code ln(p_direction / p_against) = z_direction − z_against}, where {@code z} are the
 *       model's logits. For a linear model it splits exactly into
 *       {@code (b_direction − b_against) + Σ_j (w_direction,j − w_against,j) · x_j}: the
 *       {@code intercept} and one contribution per feature, {@code x_j} being the scaled model input
 *       of {@link FeatureExtractor#modelInput}. Inputs are centred on the protocol target, so a
 *       contribution is how much that feature's distance from target pushes the proposal. A
 *       contrast with the runner-up is used rather than one class's logit alone because a
 *       softmax is unchanged by adding the same amount to every logit: only differences mean
 *       anything.</li>
 *   <li>{@link Method#LIME} (any other model that produces probabilities): a local sparse linear
 *       surrogate fitted by Tribuo's LIME to the model's probabilities around this input; the
 *       margin is {@code p_direction − p_against} as the surrogate estimates it, and a feature's
 *       contribution is how much the surrogate's margin changes when the feature is left out. An
 *       approximation, seeded so the same input always gets the same explanation.</li>
 * </ul>
 *
 * @param direction     the proposed direction, as {@link Recommender#choose} picks it
 * @param against       the runner-up direction
 * @param method        how the contributions were obtained
 * @param intercept     the part of the margin no feature accounts for: for EXACT_LINEAR the margin
 *                      of a patient exactly at target with every other input at 0; the sentence
 *                      calls it "model default"
 * @param contributions one per model feature, largest {@code |contribution|} first
 * @param sentence      what a clinician reads: the patient's numbers, the proposal and the
 *                      strongest reasons
 */
public record Explanation(Direction direction, Direction against, Method method, double intercept,
                          List<Contribution> contributions, String sentence) {

    public Explanation {
        Objects.requireNonNull(direction, "Direction is required.");
        Objects.requireNonNull(against, "Runner-up direction is required.");
        Objects.requireNonNull(method, "Method is required.");
        Objects.requireNonNull(sentence, "Sentence is required.");
        if (direction == against) {
            throw new IllegalArgumentException("Expected a runner-up other than the proposal, found " + against + " twice.");
        }
        contributions = contributions.stream()
                .sorted(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.contribution())))
                .toList();
    }

    /** How contributions were obtained. */
    public enum Method {
        /** Exact decomposition of a linear model's log-odds. */
        EXACT_LINEAR,
        /** Tribuo LIME: a local linear approximation of the model's probabilities. */
        LIME
    }

    /**
     * One feature's share of the margin.
     *
     * @param feature      a name from {@link FeatureExtractor#FEATURE_NAMES}
     * @param value        its value in clinical units (mm[Hg], mm[Hg]/day, readings, share, step, 0/1)
     * @param modelInput   the scaled value the model saw
     * @param contribution its share of the margin: log-odds for EXACT_LINEAR, probability for LIME;
     *                     positive favours {@code direction}, negative {@code against}
     */
    public record Contribution(String feature, double value, double modelInput, double contribution) {
    }

    /** {@code intercept + Σ contributions}: ln(p_direction / p_against) exactly for EXACT_LINEAR. */
    public double margin() {
        double sum = intercept;
        for (Contribution c : contributions) {
            sum += c.contribution();
        }
        return sum;
    }
}
