package org.clinloop.audit;

import java.util.Optional;

/**
 * Which entries to read, newest first.
 *
 * @param patientId only entries about this patient, or null for all
 * @param type      only entries of this type, or null for all
 * @param limit     at most this many (1..1000)
 */
public record AuditQuery(String patientId, AuditEventType type, int limit) {

    public AuditQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("Audit query limit must be 1..1000, was " + limit + ".");
        }
    }

    public static AuditQuery forPatient(String patientId, int limit) {
        return new AuditQuery(patientId, null, limit);
    }

    public Optional<String> patient() {
        return Optional.ofNullable(patientId);
    }

    public Optional<AuditEventType> eventType() {
        return Optional.ofNullable(type);
    }
}
