package org.clinloop.approval;

import java.util.Optional;

/**
 * Who is responsible for whom. Implemented by the module that keeps patients (fhir-ingest, from
 * {@code Patient.generalPractitioner}); this module only asks.
 */
public interface CareTeam {

    /** The Practitioner id of the patient's responsible clinician. */
    Optional<String> responsiblePractitioner(String patientId);

    /** Whether the patient exists at all. */
    boolean knows(String patientId);

    /** Whether {@code practitionerId} may act for {@code patientId}. */
    default boolean isOnPanel(String practitionerId, String patientId) {
        return practitionerId != null && responsiblePractitioner(patientId).map(practitionerId::equals).orElse(false);
    }
}
