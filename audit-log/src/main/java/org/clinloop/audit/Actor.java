package org.clinloop.audit;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who acts: a signed-in person, an EHR system or ClinLoop itself.
 *
 * @param id             stable identifier as recorded in the audit log, e.g. {@code dr.rivera}
 * @param displayName    human-readable name, for summaries only
 * @param roles          realm roles from the identity provider (e.g. {@code clinician})
 * @param patientId      the FHIR Patient this actor <em>is</em>, for patient users; else null
 * @param practitionerId the FHIR Practitioner this actor is, for clinicians; else null
 */
public record Actor(String id, String displayName, Set<String> roles, String patientId,
                    String practitionerId) {

    /** ClinLoop's own components act under this role, never a person's. */
    public static final String SYSTEM_ROLE = "system";

    public Actor {
        Objects.requireNonNull(id, "Actor id is required.");
        if (id.isBlank()) {
            throw new IllegalArgumentException("Actor id must not be blank.");
        }
        displayName = displayName == null || displayName.isBlank() ? id : displayName;
        roles = Set.copyOf(Objects.requireNonNull(roles, "Actor roles are required."));
    }

    /** A ClinLoop component acting on its own account, e.g. {@code system:recommendation-engine}. */
    public static Actor system(String component) {
        return new Actor("system:" + component, component, Set.of(SYSTEM_ROLE), null, null);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public Optional<String> patient() {
        return Optional.ofNullable(patientId);
    }

    public Optional<String> practitioner() {
        return Optional.ofNullable(practitionerId);
    }
}
