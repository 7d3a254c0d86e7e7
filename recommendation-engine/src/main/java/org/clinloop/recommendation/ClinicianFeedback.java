package org.clinloop.recommendation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a clinician decided about one model proposal, kept as a label for retraining and linked
 * to the model version that made the proposal.
 *
 * <p>The approval workflow decides what a decision teaches ({@code label}): an approval labels
 * the proposed direction, a modification the direction of the dose the clinician chose, a
 * rejection on clinical judgement a HOLD. A decision whose reason lies outside what the model
 * sees (data quality, patient preference, a contraindication the rules handle) labels nothing;
 * {@code labelNote} says why either way.
 *
 * @param proposalId        the proposal decided on
 * @param modelId           the model version that made it
 * @param patientId         FHIR Patient id
 * @param proposedAt        when the proposal was made
 * @param features          the feature values the model saw (clinical units, as recorded)
 * @param proposed          the direction the model proposed
 * @param fromStep          the dose step at the time
 * @param proposedStep      the step the proposal would have set
 * @param action            APPROVED, MODIFIED or REJECTED
 * @param chosenStep        the step the clinician set (the proposed one when approved, the current
 *                          one when rejected)
 * @param reason            the coded rejection reason, or null
 * @param label             what the decision teaches, or null when it teaches nothing
 * @param labelNote         why the label is what it is (or why there is none)
 * @param decidedBy         the clinician
 * @param decidedAt         when
 */
public record ClinicianFeedback(String proposalId, String modelId, String patientId, Instant proposedAt,
                                Map<String, Double> features, Direction proposed, int fromStep, int proposedStep,
                                Action action, int chosenStep, String reason, Direction label, String labelNote,
                                String decidedBy, Instant decidedAt) {

    /** What the clinician did with the proposal. Names are stored: never rename. */
    public enum Action {
        APPROVED,
        MODIFIED,
        REJECTED
    }

    public ClinicianFeedback {
        Objects.requireNonNull(proposalId, "Proposal id is required.");
        Objects.requireNonNull(modelId, "Model id is required.");
        Objects.requireNonNull(action, "Action is required.");
        Objects.requireNonNull(decidedBy, "The deciding clinician is required.");
        Objects.requireNonNull(labelNote, "A label note is required.");
        features = Map.copyOf(features);
    }

    public Optional<Direction> labelled() {
        return Optional.ofNullable(label);
    }

    /** How many ladder steps the clinician's decision moved: from the step at the time to the chosen one. */
    public int labelledSteps() {
        return Math.abs(chosenStep - fromStep);
    }

    /** Whether the clinician chose the model's direction (an approval, or a modification the same way). */
    public boolean agreesWithModel() {
        return label == proposed;
    }

    /**
     * The recorded features as the model reads them. A feature is missing when its indicator
     * ({@code <name>_missing}) is set, as {@link FeatureExtractor} records it.
     */
    public TitrationFeatures titrationFeatures() {
        Set<String> missing = new TreeSet<>();
        features.forEach((name, v) -> {
            if (name.endsWith(FeatureExtractor.MISSING) && v != 0) {
                missing.add(name.substring(0, name.length() - FeatureExtractor.MISSING.length()));
            }
        });
        LinkedHashMap<String, Double> ordered = new LinkedHashMap<>();
        for (String name : FeatureExtractor.FEATURE_NAMES) {
            Double v = features.get(name);
            if (v != null) {
                ordered.put(name, v);
            }
        }
        return new TitrationFeatures(ordered, missing);
    }

    /** Whether the recorded features are the ones the current {@link FeatureExtractor} computes. */
    public boolean hasCurrentFeatures() {
        return features.keySet().equals(Set.copyOf(FeatureExtractor.FEATURE_NAMES));
    }
}
