package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;

/**
 * The clinician's queue: tasks for the patients on their panel, approved or rejected by a named
 * clinician. Of two clinicians acting on one task at once, exactly one succeeds.
 */
@ApplicationScoped
public class ApprovalQueue {

    @Inject
    WorkflowStore store;
    @Inject
    AuditLog audit;
    @Inject
    CareTeam careTeam;
    @Inject
    Clock clock;

    /** The clinician's own tasks, most urgent first; {@code status} null for all. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ApprovalTask> tasks(Actor clinician, TaskStatus status, int limit) {
        if (!clinician.hasRole(Roles.CLINICIAN) || clinician.practitionerId() == null) {
            throw new AccessRefusedException("Expected a clinician with a practitioner id, found " + clinician.id() + ".");
        }
        return store.tasksOwnedBy(clinician.practitionerId(), status, Math.max(1, Math.min(limit, 500)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ApprovalTask task(String taskId, Actor actor) {
        ApprovalTask task = store.task(taskId).orElseThrow(() -> new UnknownResourceException("No task " + taskId + "."));
        Roles.requireReaderOf(actor, task.patientId(), careTeam);
        return task;
    }

    /** All tasks about one patient, newest first, for those who may read the patient's record. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ApprovalTask> tasksForPatient(String patientId, Actor actor, int limit) {
        Roles.requireReaderOf(actor, patientId, careTeam);
        return store.tasksForPatient(patientId, Math.max(1, Math.min(limit, 500)));
    }

    /** Approves the proposal as made; the dose change is delivered under the clinician's name. */
    @Transactional
    public ApprovalTask approve(String taskId, Actor clinician, String note) {
        ApprovalTask task = lockForDecision(taskId, clinician);
        Instant now = clock.instant();
        Regimen regimen = store.lockRegimen(task.patientId())
                .orElseThrow(() -> new TaskConflictException("Patient " + task.patientId() + " has no regimen.", task));
        if (regimen.doseStep() != task.fromStep()) {
            throw new TaskConflictException("Expected the dose to be at step " + task.fromStep()
                    + " as when proposed, found step " + regimen.doseStep() + ": the proposal is stale.", task);
        }
        ProtocolLimits limits = Protocols.require(regimen.protocol());
        ApprovalTask decided = store.decide(taskId, TaskStatus.APPROVED, clinician.id(), now, null, note);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("task", taskId);
        detail.put("proposal", task.proposalId());
        detail.put("fromStep", task.fromStep());
        detail.put("toStep", task.toStep());
        detail.put("note", String.valueOf(note));
        audit.append(AuditEvent.of(AuditEventType.TASK_APPROVED, clinician, task.patientId(), detail));
        if (task.toStep() != task.fromStep()) {
            Delivery.deliver(store, audit, limits, regimen, task.proposalId(), task.toStep(), clinician, clinician, now);
        }
        return decided;
    }

    /** Rejects the proposal with a coded reason; nothing is delivered. */
    @Transactional
    public ApprovalTask reject(String taskId, Actor clinician, RejectionReason reason, String note) {
        if (reason == null) {
            throw new BoundsRefusedException(List.of("expected a rejection reason, one of "
                    + List.of(RejectionReason.values()) + ", found none"));
        }
        ApprovalTask task = lockForDecision(taskId, clinician);
        ApprovalTask decided = store.decide(taskId, TaskStatus.REJECTED, clinician.id(), clock.instant(), reason.name(),
                note);
        audit.append(AuditEvent.of(AuditEventType.TASK_REJECTED, clinician, task.patientId(), Map.of(
                "task", taskId, "proposal", task.proposalId(), "reason", reason.name(), "note", String.valueOf(note))));
        return decided;
    }

    private ApprovalTask lockForDecision(String taskId, Actor clinician) {
        ApprovalTask task = store.lockTask(taskId)
                .orElseThrow(() -> new UnknownResourceException("No task " + taskId + "."));
        Roles.requireClinicianFor(clinician, task.patientId(), careTeam);
        if (task.status() != TaskStatus.REQUESTED) {
            throw new TaskConflictException("Task " + taskId + " was already " + task.status() + " by "
                    + task.decidedBy() + " at " + task.decidedAt() + ".", task);
        }
        return task;
    }
}
