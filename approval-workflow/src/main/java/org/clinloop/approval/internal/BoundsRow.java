package org.clinloop.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.clinloop.approval.SafetyBounds;

/** Row of {@code safety_bounds}: one signed version; only {@code active} ever changes. */
@Entity
@Table(name = "safety_bounds")
public class BoundsRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "version")
    private int version;
    @Column(name = "protocol")
    private String protocol;
    @Column(name = "lowest_step")
    private int lowestStep;
    @Column(name = "highest_step")
    private int highestStep;
    @Column(name = "max_auto_steps")
    private int maxAutoSteps;
    @Column(name = "systolic_floor")
    private double systolicFloor;
    @Column(name = "min_confidence")
    private double minConfidence;
    @Column(name = "autonomy_enabled")
    private boolean autonomyEnabled;
    @Column(name = "authored_by")
    private String authoredBy;
    @Column(name = "authored_at")
    private Instant authoredAt;
    @Column(name = "active")
    private boolean active;
    @Column(name = "min_days_between_auto")
    private int minDaysBetweenAuto;
    @Column(name = "max_auto_per_30_days")
    private int maxAutoPer30Days;
    @Column(name = "activated_by")
    private String activatedBy;
    @Column(name = "activated_at")
    private Instant activatedAt;

    protected BoundsRow() {
    }

    BoundsRow(SafetyBounds b) {
        this.id = b.patientId() + "/v" + b.version();
        this.patientId = b.patientId();
        this.version = b.version();
        this.protocol = b.protocol();
        this.lowestStep = b.lowestStep();
        this.highestStep = b.highestStep();
        this.maxAutoSteps = b.maxAutoSteps();
        this.systolicFloor = b.systolicFloor();
        this.minConfidence = b.minConfidence();
        this.autonomyEnabled = b.autonomyEnabled();
        this.authoredBy = b.authoredBy();
        this.authoredAt = b.authoredAt();
        this.minDaysBetweenAuto = b.minDaysBetweenAutoChanges();
        this.maxAutoPer30Days = b.maxAutoChangesPer30Days();
        this.active = false;
    }

    void deactivate() {
        this.active = false;
    }

    void activate(String by, Instant at) {
        this.active = true;
        this.activatedBy = by;
        this.activatedAt = at;
    }

    boolean active() {
        return active;
    }

    Instant activatedAt() {
        return activatedAt;
    }

    SafetyBounds toBounds() {
        return new SafetyBounds(patientId, version, protocol, lowestStep, highestStep, maxAutoSteps, systolicFloor,
                minConfidence, autonomyEnabled, minDaysBetweenAuto, maxAutoPer30Days, authoredBy, authoredAt);
    }
}
