package org.clinloop.recommendation.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.clinloop.audit.EntryCodec;
import org.clinloop.recommendation.ClinicianFeedback;
import org.clinloop.recommendation.Direction;

/** Row of {@code clinician_feedback}: one clinician decision on one proposal. Never updated. */
@Entity
@Table(name = "clinician_feedback")
public class FeedbackRow {

    @Id
    @Column(name = "proposal_id")
    private String proposalId;
    @Column(name = "model_id")
    private String modelId;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "proposed_at")
    private Instant proposedAt;
    @Column(name = "features_json")
    private String featuresJson;
    @Enumerated(EnumType.STRING)
    @Column(name = "proposed_direction")
    private Direction proposed;
    @Column(name = "from_step")
    private int fromStep;
    @Column(name = "proposed_step")
    private int proposedStep;
    @Enumerated(EnumType.STRING)
    @Column(name = "action")
    private ClinicianFeedback.Action action;
    @Column(name = "chosen_step")
    private int chosenStep;
    @Column(name = "reason")
    private String reason;
    @Enumerated(EnumType.STRING)
    @Column(name = "label")
    private Direction label;
    @Column(name = "label_note")
    private String labelNote;
    @Column(name = "decided_by")
    private String decidedBy;
    @Column(name = "decided_at")
    private Instant decidedAt;

    protected FeedbackRow() {
    }

    public FeedbackRow(ClinicianFeedback f) {
        this.proposalId = f.proposalId();
        this.modelId = f.modelId();
        this.patientId = f.patientId();
        this.proposedAt = f.proposedAt();
        this.featuresJson = EntryCodec.canonicalDetail(f.features());
        this.proposed = f.proposed();
        this.fromStep = f.fromStep();
        this.proposedStep = f.proposedStep();
        this.action = f.action();
        this.chosenStep = f.chosenStep();
        this.reason = f.reason();
        this.label = f.label();
        this.labelNote = f.labelNote();
        this.decidedBy = f.decidedBy();
        this.decidedAt = f.decidedAt();
    }

    public ClinicianFeedback toFeedback() {
        return new ClinicianFeedback(proposalId, modelId, patientId, proposedAt, EntryCodec.parseNumbers(featuresJson),
                proposed, fromStep,
                proposedStep, action, chosenStep, reason, label, labelNote, decidedBy, decidedAt);
    }
}
