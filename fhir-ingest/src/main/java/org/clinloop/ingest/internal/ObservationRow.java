package org.clinloop.ingest.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.clinloop.recommendation.BloodPressureReading;

/** Row of {@code observation}: accepted readings are never changed here. */
@Entity
@Table(name = "observation")
public class ObservationRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "code")
    private String code;
    @Column(name = "status")
    private String status;
    @Column(name = "effective_at")
    private Instant effectiveAt;
    @Column(name = "systolic")
    private Double systolic;
    @Column(name = "diastolic")
    private Double diastolic;
    @Column(name = "received_at")
    private Instant receivedAt;
    @Column(name = "received_from")
    private String receivedFrom;
    @Column(name = "version_id")
    private int versionId;
    @Column(name = "resource_json")
    private String resourceJson;

    protected ObservationRow() {
    }

    public ObservationRow(String id, String patientId, String code, String status, BloodPressureReading reading,
                          Instant receivedAt, String receivedFrom, String resourceJson) {
        this.id = id;
        this.patientId = patientId;
        this.code = code;
        this.status = status;
        this.effectiveAt = reading.effective();
        this.systolic = reading.systolic();
        this.diastolic = reading.diastolic();
        this.receivedAt = receivedAt;
        this.receivedFrom = receivedFrom;
        this.versionId = 1;
        this.resourceJson = resourceJson;
    }

    public String id() {
        return id;
    }

    public String patientId() {
        return patientId;
    }

    public String resourceJson() {
        return resourceJson;
    }

    public BloodPressureReading toReading() {
        return new BloodPressureReading(id, effectiveAt, systolic, diastolic);
    }
}
