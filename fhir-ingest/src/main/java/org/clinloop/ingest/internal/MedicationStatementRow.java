package org.clinloop.ingest.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Row of {@code medication_statement}: one intake the patient reported. */
@Entity
@Table(name = "medication_statement")
public class MedicationStatementRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "taken_at")
    private Instant takenAt;
    @Column(name = "status")
    private String status;
    @Column(name = "rxnorm")
    private String rxNorm;
    @Column(name = "received_at")
    private Instant receivedAt;
    @Column(name = "resource_json")
    private String resourceJson;

    protected MedicationStatementRow() {
    }

    public MedicationStatementRow(String id, String patientId, Instant takenAt, String status, String rxNorm,
                                  Instant receivedAt, String json) {
        this.id = id;
        this.patientId = patientId;
        this.takenAt = takenAt;
        this.status = status;
        this.rxNorm = rxNorm;
        this.receivedAt = receivedAt;
        this.resourceJson = json;
    }

    public String patientId() {
        return patientId;
    }

    public String resourceJson() {
        return resourceJson;
    }

    public Instant takenAt() {
        return takenAt;
    }

    /** The FHIR MedicationStatement.status code as received, e.g. completed or not-taken. */
    public String status() {
        return status;
    }
}
