package org.clinloop.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.clinloop.approval.Regimen;

/** Row of {@code regimen}: locked for the duration of every decision about the patient. */
@Entity
@Table(name = "regimen")
public class RegimenRow {

    @Id
    @Column(name = "patient_id")
    private String patientId;
    @Column(name = "protocol")
    private String protocol;
    @Column(name = "dose_step")
    private int doseStep;
    @Column(name = "since")
    private Instant since;
    @Column(name = "set_by")
    private String setBy;
    @Version
    @Column(name = "row_version")
    private long rowVersion;

    protected RegimenRow() {
    }

    RegimenRow(Regimen r) {
        this.patientId = r.patientId();
        set(r);
    }

    void set(Regimen r) {
        this.protocol = r.protocol();
        this.doseStep = r.doseStep();
        this.since = r.since();
        this.setBy = r.setBy();
    }

    Regimen toRegimen() {
        return new Regimen(patientId, protocol, doseStep, since, setBy);
    }
}
