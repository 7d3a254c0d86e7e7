package org.clinloop.recommendation;

import java.util.Map;

/**
 * Service provider interface: the groups a patient belongs to (attribute → group, e.g.
 * {@code sex → female}), for per-group model reports. Implemented where demographics live
 * ({@code fhir-ingest}); a missing attribute is absent from the map.
 */
public interface PatientGroups {

    Map<String, String> groupsOf(String patientId);
}
