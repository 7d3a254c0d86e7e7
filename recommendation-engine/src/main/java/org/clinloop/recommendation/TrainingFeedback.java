package org.clinloop.recommendation;

import java.util.List;

/**
 * The clinician feedback a model is trained on besides its synthetic cohort: labelled decisions
 * in training order, each example weighted {@code weight} against a cohort example's 1.
 *
 * @param examples labelled feedback with the current feature set
 * @param weight   the weight of each feedback example, at least 1
 */
public record TrainingFeedback(List<ClinicianFeedback> examples, double weight) {

    /** No feedback: the cohort alone. */
    public static final TrainingFeedback NONE = new TrainingFeedback(List.of(), 1.0);

    public TrainingFeedback {
        examples = List.copyOf(examples);
        if (!(weight >= 1) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("Expected a feedback weight of at least 1, found " + weight + ".");
        }
        for (ClinicianFeedback f : examples) {
            if (f.label() == null) {
                throw new IllegalArgumentException("Expected labelled feedback only, found proposal " + f.proposalId()
                        + " without a label (" + f.labelNote() + ").");
            }
            if (!f.hasCurrentFeatures()) {
                throw new IllegalArgumentException("Expected feedback recorded with the current features "
                        + FeatureExtractor.FEATURE_NAMES + ", found proposal " + f.proposalId() + " with "
                        + f.features().keySet() + ".");
            }
        }
    }

    public boolean isEmpty() {
        return examples.isEmpty();
    }
}
