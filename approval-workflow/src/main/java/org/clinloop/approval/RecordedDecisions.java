package org.clinloop.approval;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditQuery;

/** Finds a decision's typed records in the audit log: shared by replay and the clinician's explanation. */
final class RecordedDecisions {

    private RecordedDecisions() {
    }

    /**
     * The newest of the patient's {@code depth} newest entries of {@code type}, read as its record,
     * that {@code matches}; empty when none does.
     */
    static <R> Optional<R> newest(AuditLog audit, String patient, AuditEventType type, int depth,
                                  Function<AuditEntry, R> parse, Predicate<R> matches) {
        for (AuditEntry e : audit.read(new AuditQuery(patient, type, depth))) {
            R r = parse.apply(e);
            if (matches.test(r)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
