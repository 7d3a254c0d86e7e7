package org.clinloop.audit;

import java.time.Instant;

/**
 * One recorded entry, exactly as it is hashed. Entries about a patient are that patient's data
 * ({@link PatientData}): reading them is recorded like any other read of it.
 *
 * @param sequence      position in the log, from 1, without gaps
 * @param formatVersion version of the canonical encoding used for {@link #hash()}
 * @param recordedAt    when the log accepted the event (millisecond precision)
 * @param type          what happened
 * @param actorId       who did it
 * @param patientId     the patient it concerns, or null
 * @param detailJson    the event's detail in canonical JSON
 * @param previousHash  hex SHA-256 of the previous entry (64 zeros for the first)
 * @param hash          hex SHA-256 over {@code previousHash ‖ canonical(entry)}
 */
public record AuditEntry(long sequence, int formatVersion, Instant recordedAt, AuditEventType type,
                         String actorId, String patientId, String detailJson, String previousHash,
                         String hash) implements PatientData {
}
