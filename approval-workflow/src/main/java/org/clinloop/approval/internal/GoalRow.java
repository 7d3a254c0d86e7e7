package org.clinloop.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.clinloop.approval.CareGoal;

/** Row of {@code care_goal}. */
@Entity
@Table(name = "care_goal")
public class GoalRow {

    @Id
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "systolic_target")
    private double systolicTarget;
    @Column(name = "diastolic_target")
    private double diastolicTarget;
    @Column(name = "set_by")
    private String setBy;
    @Column(name = "set_at")
    private Instant setAt;

    protected GoalRow() {
    }

    GoalRow(CareGoal g) {
        this.patientId = g.patientId();
        set(g);
    }

    void set(CareGoal g) {
        this.systolicTarget = g.systolicTarget();
        this.diastolicTarget = g.diastolicTarget();
        this.setBy = g.setBy();
        this.setAt = g.setAt();
    }

    CareGoal toGoal() {
        return new CareGoal(patientId, systolicTarget, diastolicTarget, setBy, setAt);
    }
}
