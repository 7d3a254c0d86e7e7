package org.clinloop.ingest;

import org.clinloop.approval.AccessRefusedException;

/**
 * A system's update of a Patient would change who is responsible for the patient
 * ({@code Patient.generalPractitioner}): refused (403), since a patient moves to another clinician's
 * panel only by a clinician's hand-over ({@link PatientDirectory#handOver}). Recorded as
 * {@code CARE_TEAM_CHANGE_REFUSED} by the edge that caught it ({@link PatientDirectory#recordRefusal}).
 */
public class CareTeamChangeRefusedException extends AccessRefusedException {

    private static final long serialVersionUID = 1L;
    private final String patientId;
    private final String current;
    private final String sent;

    public CareTeamChangeRefusedException(String patientId, String current, String sent) {
        super("Expected Patient.generalPractitioner to stay Practitioner/" + current + " on an update by a system, found "
                + (sent == null ? "none" : "Practitioner/" + sent) + ": a patient's responsible clinician changes only "
                + "by a clinician's hand-over (PUT /api/patients/" + patientId + "/clinician), never by an EHR.");
        this.patientId = patientId;
        this.current = current;
        this.sent = sent;
    }

    public String patientId() {
        return patientId;
    }

    /** The responsible clinician's practitioner id, unchanged. */
    public String current() {
        return current;
    }

    /** What the update named instead, or null when it named none. */
    public String sent() {
        return sent;
    }
}
