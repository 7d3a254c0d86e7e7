package org.clinloop.fairness.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.clinloop.fairness.ReportKind;
import org.clinloop.fairness.StoredReport;

/** Row of {@code fairness_report}. */
@Entity
@Table(name = "fairness_report")
public class FairnessReportRow {

    @Id
    @Column(name = "id")
    private String id;
    @Enumerated(EnumType.STRING)
    @Column(name = "kind")
    private ReportKind kind;
    @Column(name = "version")
    private int version;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "created_by")
    private String createdBy;
    @Column(name = "period_from")
    private Instant periodFrom;
    @Column(name = "period_to")
    private Instant periodTo;
    @Column(name = "content_hash")
    private String contentHash;
    @Column(name = "content_json")
    private String contentJson;

    protected FairnessReportRow() {
    }

    FairnessReportRow(StoredReport r) {
        this.id = r.id();
        this.kind = r.kind();
        this.version = r.version();
        this.createdAt = r.createdAt();
        this.createdBy = r.createdBy();
        this.periodFrom = r.periodFrom();
        this.periodTo = r.periodTo();
        this.contentHash = r.contentHash();
        this.contentJson = r.contentJson();
    }

    StoredReport toReport() {
        return new StoredReport(id, kind, version, createdAt, createdBy, periodFrom, periodTo, contentHash, contentJson);
    }
}
