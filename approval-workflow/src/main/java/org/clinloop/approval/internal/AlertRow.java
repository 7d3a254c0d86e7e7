package org.clinloop.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.clinloop.approval.SafetyAlert;

/** Row of {@code safety_alert}. */
@Entity
@Table(name = "safety_alert")
public class AlertRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "proposal_id")
    private String proposalId;
    @Column(name = "trigger_observation")
    private String triggerObservation;
    @Column(name = "code")
    private String code;
    @Column(name = "severity")
    private String severity;
    @Column(name = "detail")
    private String detail;
    @Column(name = "created_at")
    private Instant createdAt;

    protected AlertRow() {
    }

    AlertRow(SafetyAlert a) {
        this.id = a.id();
        this.patientId = a.patientId();
        this.proposalId = a.proposalId();
        this.triggerObservation = a.triggerObservation();
        this.code = a.code();
        this.severity = a.severity();
        this.detail = a.detail();
        this.createdAt = a.createdAt();
    }

    SafetyAlert toAlert() {
        return new SafetyAlert(id, patientId, proposalId, triggerObservation, code, severity, detail, createdAt);
    }
}
