package org.clinloop.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import org.clinloop.approval.DoseAdjustment;

/** Row of {@code dose_adjustment}; only the acknowledgement time is ever set later. */
@Entity
@Table(name = "dose_adjustment")
public class AdjustmentRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "proposal_id")
    private String proposalId;
    @Column(name = "from_step")
    private int fromStep;
    @Column(name = "to_step")
    private int toStep;
    @Column(name = "medication")
    private String medication;
    @Column(name = "rxnorm")
    private String rxNorm;
    @Column(name = "dose_value")
    private BigDecimal doseValue;
    @Column(name = "dose_unit")
    private String doseUnit;
    @Column(name = "route")
    private String route;
    @Column(name = "approved_by")
    private String approvedBy;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "acknowledged_at")
    private Instant acknowledgedAt;
    @Column(name = "modified")
    private boolean modified;
    @Column(name = "flagged_at")
    private Instant flaggedAt;

    protected AdjustmentRow() {
    }

    AdjustmentRow(DoseAdjustment a) {
        this.id = a.id();
        this.patientId = a.patientId();
        this.proposalId = a.proposalId();
        this.fromStep = a.fromStep();
        this.toStep = a.toStep();
        this.medication = a.medication();
        this.rxNorm = a.rxNormCode();
        this.doseValue = a.dose();
        this.doseUnit = a.unit();
        this.route = a.route();
        this.approvedBy = a.approvedBy();
        this.createdAt = a.createdAt();
        this.modified = a.modified();
    }

    void flag(Instant at) {
        flaggedAt = at;
    }

    String patientId() {
        return patientId;
    }

    boolean acknowledge(Instant at) {
        if (acknowledgedAt != null) {
            return false;
        }
        acknowledgedAt = at;
        return true;
    }

    DoseAdjustment toAdjustment() {
        return new DoseAdjustment(id, patientId, proposalId, fromStep, toStep, medication, rxNorm, doseValue, doseUnit,
                route, approvedBy, createdAt, acknowledgedAt, modified, flaggedAt);
    }
}
