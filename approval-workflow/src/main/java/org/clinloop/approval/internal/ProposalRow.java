package org.clinloop.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.clinloop.approval.Tier;
import org.clinloop.approval.TierDecision;
import org.clinloop.audit.EntryCodec;
import org.clinloop.recommendation.Recommendation;

/** Row of {@code proposal}: the recommendation and the rules' decision, never changed. */
@Entity
@Table(name = "proposal")
public class ProposalRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "trigger_observation")
    private String triggerObservation;
    @Column(name = "direction")
    private String direction;
    @Column(name = "steps")
    private int steps;
    @Column(name = "probability")
    private double probability;
    @Column(name = "from_step")
    private int fromStep;
    @Column(name = "to_step")
    private int toStep;
    @Column(name = "features_json")
    private String featuresJson;
    @Column(name = "input_hash")
    private String inputHash;
    @Column(name = "model_id")
    private String modelId;
    @Column(name = "model_provenance")
    private String modelProvenance;
    @Column(name = "rationale")
    private String rationale;
    @Enumerated(EnumType.STRING)
    @Column(name = "tier")
    private Tier tier;
    @Column(name = "rules_json")
    private String rulesJson;
    @Column(name = "rules_version")
    private String rulesVersion;
    @Column(name = "bounds_version")
    private int boundsVersion;

    protected ProposalRow() {
    }

    ProposalRow(String id, Instant at, String triggerObservation, Recommendation r, TierDecision d) {
        this.id = id;
        this.patientId = r.patientId();
        this.createdAt = at;
        this.triggerObservation = triggerObservation;
        this.direction = r.direction().name();
        this.steps = r.steps();
        this.probability = r.probability();
        this.fromStep = d.fromStep();
        this.toStep = d.toStep();
        this.featuresJson = EntryCodec.canonicalDetail(r.features().values());
        this.inputHash = r.inputHash();
        this.modelId = r.model().id();
        this.modelProvenance = r.model().provenanceHash();
        this.rationale = r.rationale();
        this.tier = d.tier();
        this.rulesJson = EntryCodec.canonicalDetail(Map.of("fired", d.fired()));
        this.rulesVersion = d.rulesVersion();
        this.boundsVersion = d.boundsVersion();
    }

    String id() {
        return id;
    }

    String patientId() {
        return patientId;
    }

    Instant createdAt() {
        return createdAt;
    }

    Tier tier() {
        return tier;
    }

    int fromStep() {
        return fromStep;
    }

    int toStep() {
        return toStep;
    }

    String direction() {
        return direction;
    }

    double probability() {
        return probability;
    }

    String rationale() {
        return rationale;
    }

    String modelId() {
        return modelId;
    }

    /** The feature values the model saw, as canonical JSON (name → number). */
    String featuresJson() {
        return featuresJson;
    }

    /** The reasons of the rules that kept this proposal from automatic delivery. */
    List<String> reasons() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> fired = (List<Map<String, Object>>) EntryCodec.parseDetail(rulesJson).get("fired");
        return fired.stream()
                .filter(f -> !Tier.AUTO.name().equals(f.get("verdict")) && !Tier.NO_CHANGE.name().equals(f.get("verdict")))
                .map(f -> f.get("rule") + ": " + f.get("reason"))
                .toList();
    }
}
