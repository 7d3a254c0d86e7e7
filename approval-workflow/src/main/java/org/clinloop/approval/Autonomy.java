package org.clinloop.approval;

import java.time.Instant;
import java.util.Map;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;

/** Moves a patient's earned autonomy and records every move. */
final class Autonomy {

    static final Actor WORKFLOW = Actor.system("approval-workflow");

    private Autonomy() {
    }

    /** After an approval as proposed: one step closer; records the moment autonomy is earned. */
    static AutonomyState approvedUnmodified(WorkflowStore store, AuditLog audit, String patientId, int required,
                                            Instant now, Actor clinician) {
        AutonomyState before = store.autonomy(patientId, required);
        AutonomyState after = before.approvedUnmodified();
        store.saveAutonomy(patientId, after, now, "approved unmodified by " + clinician.id());
        if (after.earned() && !before.earned()) {
            audit.append(AuditEvent.of(AuditEventType.AUTONOMY_EARNED, WORKFLOW, patientId, Map.of(
                    "consecutiveApprovals", after.consecutiveApprovals(), "required", after.required(),
                    "lastApprovedBy", clinician.id())));
        }
        return after;
    }

    /** After a rejection, a modification or an alert: back to approval-only. */
    static void reset(WorkflowStore store, AuditLog audit, String patientId, int required, Instant now, String why) {
        AutonomyState before = store.autonomy(patientId, required);
        if (before.consecutiveApprovals() == 0 && !before.earned()) {
            return;
        }
        store.saveAutonomy(patientId, before.reset(), now, why);
        audit.append(AuditEvent.of(AuditEventType.AUTONOMY_RESET, WORKFLOW, patientId, Map.of(
                "reason", why, "hadEarned", before.earned(), "consecutiveApprovals", before.consecutiveApprovals())));
    }
}
