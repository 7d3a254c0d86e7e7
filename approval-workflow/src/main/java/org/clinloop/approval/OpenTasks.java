package org.clinloop.approval;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;

/**
 * At most one open proposal per patient. A newer decision supersedes the open task; a change of
 * the patient's dose (a delivery, a clinician setting the regimen, an EHR prescription) makes
 * every task proposed from another dose stale. Either way the task is cancelled, audited, and
 * approving it afterwards is a conflict that names the current task.
 */
final class OpenTasks {

    static final String SUPERSEDED = "superseded";
    static final String STALE = "stale";

    private OpenTasks() {
    }

    /**
     * Cancels the patient's open tasks in favour of a newer decision.
     *
     * @param proposalId the newer decision's proposal
     * @param successor  the task the newer decision queued, or null when it queued none
     */
    static void supersede(WorkflowStore store, AuditLog audit, String patientId, String proposalId, String successor,
                          Actor by, Instant now) {
        for (WorkflowStore.OpenTask open : store.lockOpenTasks(patientId)) {
            if (open.id().equals(successor)) {
                continue;
            }
            String note = successor != null ? "superseded by task " + successor + " (proposal " + proposalId + ")"
                    : "superseded by proposal " + proposalId + ", which needs no approval";
            store.cancelTask(open.id(), SUPERSEDED, by.id(), now, note, successor);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("task", open.id());
            detail.put("proposal", open.proposalId());
            detail.put("reason", SUPERSEDED);
            detail.put("successorTask", String.valueOf(successor));
            detail.put("successorProposal", proposalId);
            audit.append(AuditEvent.of(AuditEventType.TASK_CANCELLED, by, patientId, detail));
        }
    }

    /** Cancels the patient's open tasks proposed from a dose other than {@code doseStep}. */
    static void cancelStale(WorkflowStore store, AuditLog audit, String patientId, int doseStep, Actor by,
                            Instant now) {
        for (WorkflowStore.OpenTask open : store.lockOpenTasks(patientId)) {
            if (open.fromStep() == doseStep) {
                continue;
            }
            String note = "proposed from step " + open.fromStep() + "; the dose is now step " + doseStep;
            store.cancelTask(open.id(), STALE, by.id(), now, note, null);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("task", open.id());
            detail.put("proposal", open.proposalId());
            detail.put("reason", STALE);
            detail.put("fromStep", open.fromStep());
            detail.put("doseStep", doseStep);
            audit.append(AuditEvent.of(AuditEventType.TASK_CANCELLED, by, patientId, detail));
        }
    }
}
