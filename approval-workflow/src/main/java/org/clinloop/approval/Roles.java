package org.clinloop.approval;

import org.clinloop.audit.Actor;

/** Realm role names and the relationship checks every service applies before acting. */
public final class Roles {

    public static final String CLINICIAN = "clinician";
    public static final String PATIENT = "patient";
    public static final String COMPLIANCE_OFFICER = "compliance-officer";
    public static final String MODEL_STEWARD = "model-steward";
    public static final String EHR_SYSTEM = "ehr-system";
    /**
     * A wearable or home-device gateway: a system client (role {@link #EHR_SYSTEM} too, held to its
     * SMART scopes) whose observations are device measurements, never labs or pregnancy status.
     */
    public static final String DEVICE_GATEWAY = "device-gateway";

    private Roles() {
    }

    /** A clinician responsible for the patient, or refused. */
    public static void requireClinicianFor(Actor actor, String patientId, CareTeam careTeam) {
        if (!actor.hasRole(CLINICIAN)) {
            throw new AccessRefusedException("Expected a clinician, found " + actor.id() + " with roles " + actor.roles() + ".");
        }
        if (!careTeam.isOnPanel(actor.practitionerId(), patientId)) {
            throw new AccessRefusedException("Patient " + patientId + " is not on the panel of " + actor.id() + ".");
        }
    }

    /** The patient themself, a clinician responsible for them, or a compliance officer (read-only). */
    public static void requireReaderOf(Actor actor, String patientId, CareTeam careTeam) {
        boolean self = actor.hasRole(PATIENT) && patientId.equals(actor.patientId());
        boolean clinician = actor.hasRole(CLINICIAN) && careTeam.isOnPanel(actor.practitionerId(), patientId);
        boolean compliance = actor.hasRole(COMPLIANCE_OFFICER);
        if (!self && !clinician && !compliance) {
            throw new AccessRefusedException(actor.id() + " may not read the record of patient " + patientId + ".");
        }
    }
}
