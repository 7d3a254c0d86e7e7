package org.clinloop.recommendation.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Row of {@code model_training_feedback}: one feedback example a model version was trained on. */
@Entity
@Table(name = "model_training_feedback")
public class TrainingFeedbackRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "model_id")
    private String modelId;
    @Column(name = "proposal_id")
    private String proposalId;
    @Column(name = "ordinal")
    private int ordinal;
    @Column(name = "weight")
    private double weight;

    protected TrainingFeedbackRow() {
    }

    public TrainingFeedbackRow(String modelId, String proposalId, int ordinal, double weight) {
        this.id = modelId + "/" + proposalId;
        this.modelId = modelId;
        this.proposalId = proposalId;
        this.ordinal = ordinal;
        this.weight = weight;
    }

    public String proposalId() {
        return proposalId;
    }

    public double weight() {
        return weight;
    }
}
