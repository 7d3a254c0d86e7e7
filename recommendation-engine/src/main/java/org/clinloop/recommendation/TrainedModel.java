package org.clinloop.recommendation;

import java.time.Instant;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * A freshly trained model before registration.
 *
 * @param model          the Tribuo model
 * @param algorithm      trainer description
 * @param provenanceJson the Tribuo provenance, marshalled to JSON
 * @param provenanceHash hex SHA-256 of {@code provenanceJson}
 * @param datasetHash    hex SHA-256 of the training examples
 * @param seed           the seed of cohort split and trainer
 * @param trainedAt      when training finished
 * @param metrics        held-out metrics, overall and per patient group ({@link GroupMetrics})
 * @param feedback       the clinician feedback trained on besides the cohort ({@link TrainingFeedback#NONE}
 *                       for the cohort alone)
 * @param magnitude      the step classifier (one or two steps) for proposed changes, or null (one step)
 */
public record TrainedModel(Model<Label> model, String algorithm, String provenanceJson, String provenanceHash,
                           String datasetHash, long seed, Instant trainedAt, Map<String, Double> metrics,
                           TrainingFeedback feedback, Model<Label> magnitude) {

    public TrainedModel {
        metrics = Map.copyOf(metrics);
        feedback = feedback == null ? TrainingFeedback.NONE : feedback;
    }

    /** A model trained on its cohort alone. */
    public TrainedModel(Model<Label> model, String algorithm, String provenanceJson, String provenanceHash,
                        String datasetHash, long seed, Instant trainedAt, Map<String, Double> metrics) {
        this(model, algorithm, provenanceJson, provenanceHash, datasetHash, seed, trainedAt, metrics,
                TrainingFeedback.NONE, null);
    }
}
