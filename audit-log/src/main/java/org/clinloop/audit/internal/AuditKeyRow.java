package org.clinloop.audit.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.clinloop.audit.TreeHeadKey;

/** Row of {@code audit_key}: a public key that has signed tree heads. */
@Entity
@Table(name = "audit_key")
public class AuditKeyRow {

    @Id
    @Column(name = "key_id")
    private String keyId;
    @Column(name = "algorithm")
    private String algorithm;
    @Column(name = "public_key")
    private String publicKey;
    @Column(name = "first_used")
    private Instant firstUsed;

    protected AuditKeyRow() {
    }

    AuditKeyRow(TreeHeadKey key, Instant at) {
        this.keyId = key.keyId();
        this.algorithm = key.algorithm();
        this.publicKey = key.publicKey();
        this.firstUsed = at;
    }

    TreeHeadKey toKey() {
        return new TreeHeadKey(keyId, algorithm, publicKey);
    }
}
