package org.clinloop.ingest.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Row of {@code device}: a wearable and the patient it belongs to. */
@Entity
@Table(name = "device")
public class DeviceRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "type_text")
    private String typeText;
    @Column(name = "version_id")
    private int versionId;
    @Column(name = "last_updated")
    private Instant lastUpdated;
    @Column(name = "resource_json")
    private String resourceJson;

    protected DeviceRow() {
    }

    public DeviceRow(String id, String patientId, String typeText, Instant at, String json) {
        this.id = id;
        this.patientId = patientId;
        this.typeText = typeText;
        this.versionId = 1;
        this.lastUpdated = at;
        this.resourceJson = json;
    }

    public String id() {
        return id;
    }

    public String patientId() {
        return patientId;
    }

    public String typeText() {
        return typeText;
    }

    public String resourceJson() {
        return resourceJson;
    }
}
