package org.clinloop.audit;

import java.util.Map;
import java.util.Objects;

/**
 * Something that happened and must be recorded.
 *
 * @param type      what happened
 * @param actor     who did it
 * @param patientId the patient it concerns, or null for events about no single patient
 * @param detail    the inputs and outputs of the step: values must be JSON-encodable (strings,
 *                  numbers, booleans, lists, maps, records); encoded canonically by
 *                  {@link EntryCodec}
 */
public record AuditEvent(AuditEventType type, Actor actor, String patientId, Map<String, ?> detail) {

    public AuditEvent {
        Objects.requireNonNull(type, "Event type is required.");
        Objects.requireNonNull(actor, "Actor is required.");
        detail = detail == null ? Map.of() : detail;
    }

    public static AuditEvent of(AuditEventType type, Actor actor, String patientId, Map<String, ?> detail) {
        return new AuditEvent(type, actor, patientId, detail);
    }
}
