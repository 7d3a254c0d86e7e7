package org.clinloop.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.clinloop.approval.TaskPriority;
import org.clinloop.approval.TaskStatus;

/** Row of {@code approval_task}. */
@Entity
@Table(name = "approval_task")
public class TaskRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "proposal_id")
    private String proposalId;
    @Column(name = "patient_id")
    private String patientId;
    @Enumerated(EnumType.STRING)
    @Column(name = "status")
    private TaskStatus status;
    @Enumerated(EnumType.STRING)
    @Column(name = "priority")
    private TaskPriority priority;
    @Column(name = "owner_practitioner")
    private String ownerPractitioner;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "decided_by")
    private String decidedBy;
    @Column(name = "decided_at")
    private Instant decidedAt;
    @Column(name = "reason_code")
    private String reasonCode;
    @Column(name = "note")
    private String note;
    @Version
    @Column(name = "row_version")
    private long rowVersion;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "modified_to_step")
    private Integer modifiedToStep;
    @Column(name = "successor_task")
    private String successorTask;

    protected TaskRow() {
    }

    TaskRow(String id, String proposalId, String patientId, TaskPriority priority, String owner, Instant at,
            Instant expiresAt) {
        this.expiresAt = expiresAt;
        this.id = id;
        this.proposalId = proposalId;
        this.patientId = patientId;
        this.status = TaskStatus.REQUESTED;
        this.priority = priority;
        this.ownerPractitioner = owner;
        this.createdAt = at;
    }

    void decide(TaskStatus outcome, String by, Instant at, String reasonCode, String note) {
        if (status != TaskStatus.REQUESTED) {
            throw new IllegalStateException("Task " + id + " is already " + status);
        }
        this.status = outcome;
        this.decidedBy = by;
        this.decidedAt = at;
        this.reasonCode = reasonCode;
        this.note = note;
    }

    /** Withdraws an open task: superseded by a newer decision (naming its task, if any) or stale. */
    void cancel(String reasonCode, String by, Instant at, String note, String successor) {
        decide(TaskStatus.CANCELLED, by, at, reasonCode, note);
        this.successorTask = successor;
    }

    String successorTask() {
        return successorTask;
    }

    String id() {
        return id;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    Integer modifiedToStep() {
        return modifiedToStep;
    }

    void modifiedTo(int step) {
        this.modifiedToStep = step;
    }

    void raise(TaskPriority p) {
        if (p.ordinal() > priority.ordinal()) {
            this.priority = p;
        }
    }

    String proposalId() {
        return proposalId;
    }

    String patientId() {
        return patientId;
    }

    TaskStatus status() {
        return status;
    }

    TaskPriority priority() {
        return priority;
    }

    String ownerPractitioner() {
        return ownerPractitioner;
    }

    Instant createdAt() {
        return createdAt;
    }

    String decidedBy() {
        return decidedBy;
    }

    Instant decidedAt() {
        return decidedAt;
    }

    String reasonCode() {
        return reasonCode;
    }

    String note() {
        return note;
    }
}
