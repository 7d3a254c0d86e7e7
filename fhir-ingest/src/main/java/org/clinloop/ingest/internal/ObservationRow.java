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
    @Column(name = "value_number")
    private Double valueNumber;
    @Column(name = "value_unit")
    private String valueUnit;
    @Column(name = "value_code")
    private String valueCode;
    @Column(name = "identifier_system")
    private String identifierSystem;
    @Column(name = "identifier_value")
    private String identifierValue;
    @Column(name = "device_id")
    private String deviceId;
    /** Who asserted it ({@code ObservationSource.code()}); rows from before ingest V4 say {@code unknown}. */
    @Column(name = "source")
    private String source;

    protected ObservationRow() {
    }

    /**
     * @param effective when it was measured
     * @param reading   the blood-pressure values, or null for another kind
     * @param value     the value in {@code unit}, or null
     * @param valueCode a coded value, or null
     * @param source    who asserted it, an {@code ObservationSource} code
     */
    public ObservationRow(String id, String patientId, String code, String status, Instant effective,
                          BloodPressureReading reading, Double value, String unit, String valueCode,
                          String identifierSystem, String identifierValue, String deviceId, Instant receivedAt,
                          String receivedFrom, String resourceJson, String source) {
        this.id = id;
        this.patientId = patientId;
        this.code = code;
        this.status = status;
        this.effectiveAt = effective;
        this.systolic = reading == null ? null : reading.systolic();
        this.diastolic = reading == null ? null : reading.diastolic();
        this.valueNumber = value;
        this.valueUnit = unit;
        this.valueCode = valueCode;
        this.identifierSystem = identifierSystem;
        this.identifierValue = identifierValue;
        this.deviceId = deviceId;
        this.receivedAt = receivedAt;
        this.receivedFrom = receivedFrom;
        this.versionId = 1;
        this.resourceJson = resourceJson;
        this.source = java.util.Objects.requireNonNull(source, "The source of an observation is required.");
    }

    /** Who asserted it, an {@code ObservationSource} code. */
    public String source() {
        return source;
    }

    public String code() {
        return code;
    }

    public Instant effectiveAt() {
        return effectiveAt;
    }

    public Double valueNumber() {
        return valueNumber;
    }

    public String valueCode() {
        return valueCode;
    }

    public Instant receivedAt() {
        return receivedAt;
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
