package org.clinloop.approval;

import java.util.List;
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

    /**
     * The patients whose responsible clinician is {@code practitionerId}, by id, at most
     * {@code limit} of them: the panel the clinician works, with the names they know them by.
     */
    List<Member> panelOf(String practitionerId, int limit);

    /**
     * A patient on a panel.
     *
     * @param patientId the patient
     * @param name      "Given Family" as the EHR registered it, or null when it sent no name
     */
    record Member(String patientId, String name) {
    }

    /** Whether {@code practitionerId} may act for {@code patientId}. */
    default boolean isOnPanel(String practitionerId, String patientId) {
        return practitionerId != null && responsiblePractitioner(patientId).map(practitionerId::equals).orElse(false);
    }
}
