package org.clinloop.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Row of {@code rule_set}: the DRL text of one rule-set version. */
@Entity
@Table(name = "rule_set")
public class RuleSetRow {

    @Id
    @Column(name = "version")
    private String version;
    @Column(name = "drl")
    private String drl;
    @Column(name = "loaded_at")
    private Instant loadedAt;

    protected RuleSetRow() {
    }

    RuleSetRow(String version, String drl, Instant loadedAt) {
        this.version = version;
        this.drl = drl;
        this.loadedAt = loadedAt;
    }

    String drl() {
        return drl;
    }
}
