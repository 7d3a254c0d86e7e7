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
    @Column(name = "status")
    private String status;
    @Column(name = "occurrences")
    private int occurrences;
    @Column(name = "last_seen")
    private Instant lastSeen;
    @Column(name = "acknowledged_by")
    private String acknowledgedBy;
    @Column(name = "acknowledged_at")
    private Instant acknowledgedAt;
    @Column(name = "escalated_at")
    private Instant escalatedAt;

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
        this.status = a.status();
        this.occurrences = a.occurrences();
        this.lastSeen = a.lastSeen();
    }

    void repeated(Instant at) {
        occurrences++;
        lastSeen = at;
    }

    boolean acknowledge(String by, Instant at) {
        if (!SafetyAlert.OPEN.equals(status)) {
            return false;
        }
        status = SafetyAlert.ACKNOWLEDGED;
        acknowledgedBy = by;
        acknowledgedAt = at;
        return true;
    }

    void escalate(Instant at) {
        escalatedAt = at;
    }

    SafetyAlert toAlert() {
        return new SafetyAlert(id, patientId, proposalId, triggerObservation, code, severity, detail, createdAt, status,
                occurrences, lastSeen, acknowledgedBy, acknowledgedAt, escalatedAt);
    }
}
