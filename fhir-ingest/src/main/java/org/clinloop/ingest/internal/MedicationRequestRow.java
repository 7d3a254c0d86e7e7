package org.clinloop.ingest.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Row of {@code medication_request}: one prescription the EHR sent. */
@Entity
@Table(name = "medication_request")
public class MedicationRequestRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "status")
    private String status;
    @Column(name = "intent")
    private String intent;
    @Column(name = "rxnorm")
    private String rxNorm;
    @Column(name = "authored_on")
    private Instant authoredOn;
    @Column(name = "requester")
    private String requester;
    @Column(name = "received_at")
    private Instant receivedAt;
    @Column(name = "received_by")
    private String receivedBy;
    @Column(name = "resource_json")
    private String resourceJson;

    protected MedicationRequestRow() {
    }

    public MedicationRequestRow(String id, String patientId, String status, String intent, String rxNorm,
                                Instant authoredOn, String requester, Instant receivedAt, String receivedBy,
                                String json) {
        this.id = id;
        this.patientId = patientId;
        this.status = status;
        this.intent = intent;
        this.rxNorm = rxNorm;
        this.authoredOn = authoredOn;
        this.requester = requester;
        this.receivedAt = receivedAt;
        this.receivedBy = receivedBy;
        this.resourceJson = json;
    }

    public String id() {
        return id;
    }

    public String patientId() {
        return patientId;
    }

    public String status() {
        return status;
    }

    public String intent() {
        return intent;
    }

    public String rxNorm() {
        return rxNorm;
    }

    public Instant authoredOn() {
        return authoredOn;
    }

    public String requester() {
        return requester;
    }

    public String resourceJson() {
        return resourceJson;
    }
}
