package org.clinloop.recommendation.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.clinloop.recommendation.Direction;

/** Row of {@code shadow_prediction}: one live snapshot scored by a SHADOW version beside the ACTIVE one. */
@Entity
@Table(name = "shadow_prediction")
public class ShadowPredictionRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "shadow_model")
    private String shadowModel;
    @Column(name = "active_model")
    private String activeModel;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "scored_at")
    private Instant scoredAt;
    @Column(name = "input_hash")
    private String inputHash;
    @Enumerated(EnumType.STRING)
    @Column(name = "active_direction")
    private Direction activeDirection;
    @Enumerated(EnumType.STRING)
    @Column(name = "shadow_direction")
    private Direction shadowDirection;
    @Column(name = "active_probability")
    private double activeProbability;
    @Column(name = "shadow_probability")
    private double shadowProbability;

    protected ShadowPredictionRow() {
    }

    public ShadowPredictionRow(String id, String shadowModel, String activeModel, String patientId, Instant scoredAt,
                               String inputHash, Direction activeDirection, Direction shadowDirection,
                               double activeProbability, double shadowProbability) {
        this.id = id;
        this.shadowModel = shadowModel;
        this.activeModel = activeModel;
        this.patientId = patientId;
        this.scoredAt = scoredAt;
        this.inputHash = inputHash;
        this.activeDirection = activeDirection;
        this.shadowDirection = shadowDirection;
        this.activeProbability = activeProbability;
        this.shadowProbability = shadowProbability;
    }

    public String patientId() {
        return patientId;
    }

    public String activeModel() {
        return activeModel;
    }

    public Direction activeDirection() {
        return activeDirection;
    }

    public Direction shadowDirection() {
        return shadowDirection;
    }
}
