package org.clinloop.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * Which entries to read, newest first; every criterion optional (null).
 *
 * @param patientId only entries about this patient
 * @param type      only entries of this type
 * @param actorId   only entries by this actor
 * @param from      only entries recorded at or after
 * @param to        only entries recorded before
 * @param limit     at most this many (1..1000)
 */
public record AuditQuery(String patientId, AuditEventType type, String actorId, Instant from, Instant to, int limit) {

    public AuditQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("Audit query limit must be 1..1000, was " + limit + ".");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("Expected from before to, found " + from + " .. " + to + ".");
        }
    }

    public AuditQuery(String patientId, AuditEventType type, int limit) {
        this(patientId, type, null, null, null, limit);
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

    public Optional<String> actor() {
        return Optional.ofNullable(actorId);
    }
}
