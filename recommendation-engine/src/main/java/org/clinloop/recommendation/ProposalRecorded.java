package org.clinloop.recommendation;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.DetailReader;

/**
 * What a {@code PROPOSAL_MADE} audit entry records: the model's proposal with everything needed to
 * replay it or to measure drift. Owned here because {@link DriftMonitor} (this module) is the
 * lowest reader; approval-workflow writes it and replays from it, fhir-ingest shows it as a FHIR
 * Provenance.
 *
 * <p>Record version 1 (the only one; entries carry no {@code recordVersion} key). Keys added to
 * version 1 after it was first written are optional and absent in older entries: {@code
 * explanation} (2026-11-23) and {@code covered} (the decision outbox, issue 13). {@link #toDetail}
 * writes exactly what the workflow wrote before this record existed, so an entry's canonical bytes
 * ({@link org.clinloop.audit.EntryCodec}) do not depend on whether it was built through it; golden
 * files in {@code src/test/resources/golden/records} hold both shapes.
 *
 * @param proposalId      the proposal
 * @param observationId   the reading that triggered it, or null when it had no id (written as the
 *                        text "null", read back as null)
 * @param inputHash       hex SHA-256 of the snapshot the model saw
 * @param features        feature values in clinical units, name → value
 * @param missingFeatures features that could not be computed, in recorded order (the order of a
 *                        set when written: kept as recorded so the entry re-encodes byte for byte)
 * @param model           the model version that proposed
 * @param direction       DECREASE, HOLD or INCREASE
 * @param steps           titration steps in that direction
 * @param probabilities   the model's probability of every direction
 * @param rationale       the clinician's sentence
 * @param explanation     the recorded explanation; empty when the model gave none or the entry
 *                        predates explanations
 * @param covered         the readings the decision covered, in outbox order; empty when the entry
 *                        predates the outbox (not the same as an empty list)
 */
public record ProposalRecorded(String proposalId, String observationId, String inputHash, Map<String, Double> features,
                               List<String> missingFeatures, Model model, Direction direction, int steps,
                               Map<Direction, Double> probabilities, String rationale,
                               Optional<Explained> explanation, Optional<List<String>> covered) {

    /** The version of this record's shape; see the class comment for what version 1 may lack. */
    public static final int RECORD_VERSION = 1;
    public static final AuditEventType TYPE = AuditEventType.PROPOSAL_MADE;

    public ProposalRecorded {
        Objects.requireNonNull(proposalId, "Proposal id is required.");
        Objects.requireNonNull(model, "Model is required.");
        Objects.requireNonNull(direction, "Direction is required.");
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        missingFeatures = List.copyOf(missingFeatures);
        probabilities = Collections.unmodifiableMap(new EnumMap<>(probabilities));
        Objects.requireNonNull(explanation, "Explanation is required (Optional.empty() when none was recorded).");
        covered = Objects.requireNonNull(covered, "Covered readings are required (Optional.empty() when not recorded).")
                .map(List::copyOf);
    }

    /**
     * The model version as a proposal records it.
     *
     * @param id             the version id
     * @param provenanceHash hex SHA-256 of its provenance
     * @param algorithm      e.g. logistic-regression
     * @param datasetHash    hex SHA-256 of its training data
     */
    public record Model(String id, String provenanceHash, String algorithm, String datasetHash) {
        public Model {
            Objects.requireNonNull(id, "Model id is required.");
        }
    }

    /**
     * The explanation as a proposal records it (not the clinician's sentence, which is the
     * rationale).
     *
     * @param method        how the contributions were obtained
     * @param against       the runner-up direction
     * @param intercept     the part of the margin no feature accounts for
     * @param margin        intercept plus every contribution
     * @param contributions feature → contribution, largest |contribution| first as written
     */
    public record Explained(Explanation.Method method, Direction against, double intercept, double margin,
                            Map<String, Double> contributions) {
        public Explained {
            contributions = Collections.unmodifiableMap(new LinkedHashMap<>(contributions));
        }

        static Explained of(Explanation e) {
            Map<String, Double> contributions = new LinkedHashMap<>();
            for (Explanation.Contribution c : e.contributions()) {
                contributions.put(c.feature(), c.contribution());
            }
            return new Explained(e.method(), e.against(), e.intercept(), e.margin(), contributions);
        }
    }

    /** The record of {@code rec}, triggered by {@code trigger}, covering {@code covered}. */
    public static ProposalRecorded of(String proposalId, BloodPressureReading trigger, Recommendation rec,
                                      List<String> covered) {
        ModelVersion m = rec.model();
        return new ProposalRecorded(proposalId, trigger.observationId(), rec.inputHash(), rec.features().values(),
                List.copyOf(rec.features().missing()),
                new Model(m.id(), m.provenanceHash(), m.algorithm(), m.datasetHash()), rec.direction(), rec.steps(),
                rec.probabilities(), rec.rationale(), Optional.ofNullable(rec.explanation()).map(Explained::of),
                Optional.of(covered));
    }

    /** The feature values as the model saw them, for replay and drift. */
    public TitrationFeatures titrationFeatures() {
        return new TitrationFeatures(features, Set.copyOf(missingFeatures));
    }

    /** The probability recorded for the proposed direction. */
    public double probability() {
        return probabilities.get(direction);
    }

    /** The detail of the audit entry: keys, order and value types as the workflow has always written them. */
    public Map<String, Object> toDetail() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("proposal", proposalId);
        // Version 1 writes an absent observation as the text "null"; kept for byte compatibility.
        d.put("observation", String.valueOf(observationId));
        d.put("inputHash", inputHash);
        d.put("features", features);
        d.put("missingFeatures", missingFeatures);
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("id", model.id());
        mm.put("provenanceHash", model.provenanceHash());
        mm.put("algorithm", model.algorithm());
        mm.put("datasetHash", model.datasetHash());
        d.put("model", mm);
        d.put("direction", direction.name());
        d.put("steps", steps);
        d.put("probabilities", probabilities);
        d.put("rationale", rationale);
        explanation.ifPresent(e -> {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("method", e.method().name());
            em.put("against", e.against().name());
            em.put("intercept", e.intercept());
            em.put("margin", e.margin());
            em.put("contributions", e.contributions());
            d.put("explanation", em);
        });
        covered.ifPresent(c -> d.put("covered", c));
        return d;
    }

    /** Parses the detail of a PROPOSAL_MADE entry. */
    public static ProposalRecorded fromEntry(AuditEntry entry) {
        return parse(DetailReader.of(TYPE, entry));
    }

    /**
     * Parses a PROPOSAL_MADE detail.
     *
     * @throws IllegalArgumentException for an unknown record version or a key of the wrong shape,
     *                                  naming it, expected versus found
     */
    public static ProposalRecorded fromDetail(Map<String, Object> detail) {
        return parse(DetailReader.of(TYPE, detail));
    }

    private static ProposalRecorded parse(DetailReader d) {
        d.requireRecordVersion(RECORD_VERSION);
        DetailReader m = d.object("model");
        Map<Direction, Double> probabilities = new EnumMap<>(Direction.class);
        d.numbers("probabilities").forEach((k, v) -> probabilities.put(direction(k), v));
        Optional<Explained> explanation = Optional.empty();
        if (d.has("explanation")) {
            DetailReader e = d.object("explanation");
            explanation = Optional.of(new Explained(e.constant("method", Explanation.Method.class),
                    e.constant("against", Direction.class), e.number("intercept"), e.number("margin"),
                    e.numbers("contributions")));
        }
        return new ProposalRecorded(d.string("proposal"), d.legacyString("observation"), d.string("inputHash"),
                d.numbers("features"), d.strings("missingFeatures"),
                new Model(m.string("id"), m.string("provenanceHash"), m.string("algorithm"), m.string("datasetHash")),
                d.constant("direction", Direction.class), d.integer("steps"), probabilities, d.string("rationale"),
                explanation, d.has("covered") ? Optional.of(d.strings("covered")) : Optional.empty());
    }

    private static Direction direction(String name) {
        try {
            return Direction.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Expected PROPOSAL_MADE.probabilities to be keyed by "
                    + List.of(Direction.values()) + ", found \"" + name + "\".", e);
        }
    }
}
