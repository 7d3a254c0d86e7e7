package org.clinloop.audit.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;

/** Row of {@code audit_entry}. Written once; the database refuses updates and deletes. */
@Entity
@Table(name = "audit_entry")
public class AuditEntryRow {

    @Id
    @Column(name = "sequence_no")
    private long sequence;

    @Column(name = "format_version", nullable = false)
    private int formatVersion;

    @Column(name = "recorded_at", nullable = false)
    private Instant recordedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "event_type", nullable = false, length = 64)
    private AuditEventType type;

    @Column(name = "actor_id", nullable = false, length = 200)
    private String actorId;

    @Column(name = "patient_id", length = 64)
    private String patientId;

    @Column(name = "detail", nullable = false, length = 1048576)
    private String detailJson;

    @Column(name = "previous_hash", nullable = false, length = 64)
    private String previousHash;

    @Column(name = "entry_hash", nullable = false, length = 64)
    private String hash;

    /** The staged event this entry was chained from (null for entries chained before the audit outbox). */
    @Column(name = "staged_id")
    private Long stagedId;

    protected AuditEntryRow() {
    }

    AuditEntryRow(AuditEntry entry, long stagedId) {
        this.sequence = entry.sequence();
        this.formatVersion = entry.formatVersion();
        this.recordedAt = entry.recordedAt();
        this.type = entry.type();
        this.actorId = entry.actorId();
        this.patientId = entry.patientId();
        this.detailJson = entry.detailJson();
        this.previousHash = entry.previousHash();
        this.hash = entry.hash();
        this.stagedId = stagedId;
    }

    AuditEntry toEntry() {
        return new AuditEntry(sequence, formatVersion, recordedAt, type, actorId, patientId, detailJson,
                previousHash, hash);
    }
}
