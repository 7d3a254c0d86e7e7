package org.clinloop.recommendation;

import java.time.Instant;
import java.util.Map;

/**
 * A registered model version and where it came from.
 *
 * @param id             registry id, e.g. {@code titration-lr-3}
 * @param algorithm      the Tribuo trainer, as its provenance names it
 * @param status         lifecycle state
 * @param provenanceHash hex SHA-256 of the Tribuo provenance JSON
 * @param datasetHash    hex SHA-256 of the training examples (features and labels)
 * @param seed           the seed of the cohort and of the trainer
 * @param trainedAt      when training finished
 * @param metrics        held-out metrics (accuracy, macro_f1, per-class precision/recall, calibration,
 *                       and per patient group, see {@link GroupMetrics})
 * @param activatedBy    the model steward who signed off its activation, or null
 * @param activatedAt    when, or null
 */
public record ModelVersion(String id, String algorithm, ModelStatus status, String provenanceHash,
                           String datasetHash, long seed, Instant trainedAt, Map<String, Double> metrics,
                           String activatedBy, Instant activatedAt) {

    public ModelVersion {
        metrics = Map.copyOf(metrics);
    }
}
