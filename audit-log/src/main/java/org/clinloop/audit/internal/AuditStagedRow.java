package org.clinloop.audit.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import org.clinloop.audit.AuditEventType;

/**
 * Row of {@code audit_staged}: an event appended in a transaction that has committed (or is about
 * to), not yet chained. Its detail is already canonical, so the sequencer only hashes. Ids come from
 * a pooled sequence: increasing in append order within a service instance, with no row that every
 * transaction must lock.
 */
@Entity
@Table(name = "audit_staged")
public class AuditStagedRow {

    @Id
    @SequenceGenerator(name = "audit_staged_ids", sequenceName = "audit_staged_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_staged_ids")
    @Column(name = "id")
    private Long id;

    @Column(name = "staged_at", nullable = false)
    private Instant stagedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "event_type", nullable = false, length = 64)
    private AuditEventType type;

    @Column(name = "actor_id", nullable = false, length = 200)
    private String actorId;

    @Column(name = "patient_id", length = 64)
    private String patientId;

    @Column(name = "detail", nullable = false, length = 1048576)
    private String detailJson;

    protected AuditStagedRow() {
    }

    AuditStagedRow(Instant stagedAt, AuditEventType type, String actorId, String patientId, String detailJson) {
        this.stagedAt = stagedAt;
        this.type = type;
        this.actorId = actorId;
        this.patientId = patientId;
        this.detailJson = detailJson;
    }

    long id() {
        return id;
    }

    Instant stagedAt() {
        return stagedAt;
    }

    AuditEventType type() {
        return type;
    }

    String actorId() {
        return actorId;
    }

    String patientId() {
        return patientId;
    }

    String detailJson() {
        return detailJson;
    }
}
