package org.clinloop.audit.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.clinloop.audit.SignedTreeHead;

/** Row of {@code audit_tree_head}: one issued, signed tree head. */
@Entity
@Table(name = "audit_tree_head")
public class AuditTreeHeadRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "tree_size")
    private long size;
    @Column(name = "root_hash")
    private String rootHash;
    @Column(name = "issued_at")
    private Instant issuedAt;
    @Column(name = "key_id")
    private String keyId;
    @Column(name = "algorithm")
    private String algorithm;
    @Column(name = "signature")
    private String signature;

    protected AuditTreeHeadRow() {
    }

    AuditTreeHeadRow(SignedTreeHead head) {
        this.id = UUID.randomUUID().toString();
        this.size = head.size();
        this.rootHash = head.rootHash();
        this.issuedAt = head.timestamp();
        this.keyId = head.keyId();
        this.algorithm = head.algorithm();
        this.signature = head.signature();
    }

    SignedTreeHead toHead() {
        return new SignedTreeHead(1, size, rootHash, issuedAt, keyId, algorithm, signature);
    }
}
