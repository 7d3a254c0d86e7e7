package org.clinloop.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.clinloop.approval.AutonomyState;

/** Row of {@code autonomy}: how far a patient has come toward automatic delivery. */
@Entity
@Table(name = "autonomy")
public class AutonomyRow {

    @Id
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "consecutive_approvals")
    private int consecutiveApprovals;
    @Column(name = "required_approvals")
    private int requiredApprovals;
    @Column(name = "earned")
    private boolean earned;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Column(name = "reason")
    private String reason;

    protected AutonomyRow() {
    }

    AutonomyRow(String patientId, AutonomyState s, Instant at, String reason) {
        this.patientId = patientId;
        set(s, at, reason);
    }

    void set(AutonomyState s, Instant at, String why) {
        this.consecutiveApprovals = s.consecutiveApprovals();
        this.requiredApprovals = s.required();
        this.earned = s.earned();
        this.updatedAt = at;
        this.reason = why;
    }

    AutonomyState toState() {
        return new AutonomyState(consecutiveApprovals, requiredApprovals, earned);
    }
}
