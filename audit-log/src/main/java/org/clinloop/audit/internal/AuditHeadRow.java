package org.clinloop.audit.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The single row of {@code audit_head}: the last sequence number and hash. Appenders lock it
 * (SELECT … FOR UPDATE), which serializes appends across threads and service instances.
 */
@Entity
@Table(name = "audit_head")
public class AuditHeadRow {

    static final int SINGLETON = 1;

    @Id
    @Column(name = "id")
    private int id;

    @Column(name = "last_sequence", nullable = false)
    private long lastSequence;

    @Column(name = "last_hash", nullable = false, length = 64)
    private String lastHash;

    protected AuditHeadRow() {
    }

    long lastSequence() {
        return lastSequence;
    }

    String lastHash() {
        return lastHash;
    }

    void advance(long sequence, String hash) {
        if (sequence != lastSequence + 1) {
            throw new IllegalStateException("Audit head must advance by one: at " + lastSequence + ", got " + sequence);
        }
        this.lastSequence = sequence;
        this.lastHash = hash;
    }
}
