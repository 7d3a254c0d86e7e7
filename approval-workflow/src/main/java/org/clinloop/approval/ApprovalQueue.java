package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.CallerText;
import org.clinloop.recommendation.BloodPressureReading;
import org.clinloop.recommendation.ClinicianFeedback;
import org.clinloop.recommendation.Direction;
import org.clinloop.recommendation.FeedbackLog;

/**
 * The clinician's queue: tasks for the patients on their panel, approved as proposed, modified
 * (the chosen dose re-checked against the hard limits and the rules) or rejected by a named
 * clinician. Of two clinicians acting on one task at once, exactly one succeeds; a task cannot
 * be decided twice or after it expired.
 */
@ApplicationScoped
public class ApprovalQueue {

    @Inject
    WorkflowStore store;
    @Inject
    FeedbackLog feedback;
    @Inject
    AuditLog audit;
    @Inject
    CareTeam careTeam;
    @Inject
    Clock clock;
    @Inject
    WorkflowSettings settings;
    @Inject
    SafetyRules rules;
    @Inject
    Instance<ReadingHistory> readings;
    @Inject
    Instance<ClinicalContextSource> clinicalSources;

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
        String notFound = "No task " + taskId + ".";
        ApprovalTask task = store.task(taskId).orElseThrow(() -> new UnknownResourceException(notFound));
        UnknownResourceException.unlessReadable(task.patientId(),
                () -> Roles.requireReaderOf(actor, task.patientId(), careTeam), notFound);
        return task;
    }

    /** All tasks about one patient, newest first, for those who may read the patient's record. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ApprovalTask> tasksForPatient(String patientId, Actor actor, int limit) {
        Roles.requireReaderOf(actor, patientId, careTeam);
        return store.tasksForPatient(patientId, Math.max(1, Math.min(limit, 500)));
    }

    /**
     * Approves the proposal as made; the dose change is delivered under the clinician's name. The
     * proposal passes the rules again first, in today's clinical context, as a modification does:
     * a new contraindication, crisis or floor since the card was made refuses it, naming the rule.
     */
    @Transactional
    public ApprovalTask approve(String taskId, Actor clinician, String note) {
        ApprovalTask task = lockForDecision(taskId, clinician);
        Instant now = clock.instant();
        Regimen regimen = currentRegimen(task);
        ProtocolLimits limits = Protocols.require(regimen.protocol());
        TierDecision check = null;
        if (task.toStep() != task.fromStep()) {
            check = recheck(task, task.toStep(), limits, now);
        }
        ApprovalTask decided = store.decide(taskId, TaskStatus.APPROVED, clinician.id(), now, null, note);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("task", taskId);
        detail.put("proposal", task.proposalId());
        detail.put("fromStep", task.fromStep());
        detail.put("toStep", task.toStep());
        if (check != null) {
            detail.put("recheck", check.fired());
            detail.put("rulesVersion", check.rulesVersion());
        }
        detail.put("note", CallerText.capped(String.valueOf(note)));
        Direction label = Direction.between(task.fromStep(), task.toStep());
        audit.append(AuditEvent.of(AuditEventType.TASK_APPROVED, clinician, task.patientId(), detail));
        feedback.record(store.feedback(task.proposalId(), ClinicianFeedback.Action.APPROVED, task.toStep(), null,
                label, "approved as proposed", clinician.id(), now));
        if (task.toStep() != task.fromStep()) {
            Delivery.deliver(store, audit, limits, regimen, task.proposalId(),
                    task.toStep(), clinician, clinician, now, false);
        }
        Autonomy.approvedUnmodified(store, audit, task.patientId(), settings.requiredApprovals(), now, clinician);
        return decided;
    }

    /** The rules' verdict on delivering {@code toStep} now; refused when anything would BLOCK it. */
    private TierDecision recheck(ApprovalTask task, int toStep, ProtocolLimits limits, Instant now) {
        TierDecision check = evaluateStep(task.patientId(), task.fromStep(), toStep, limits, now);
        List<String> refusals = modificationRefusals(check, toStep, limits);
        if (!refusals.isEmpty()) {
            throw new BoundsRefusedException(refusals);
        }
        return check;
    }

    /**
     * Approves a different dose than proposed. The clinician's choice passes through the same
     * rules (as a step with probability 1): anything they would BLOCK — outside the hard limits,
     * an increase below the floor or against a contraindication — is refused.
     */
    @Transactional
    public ApprovalTask modify(String taskId, Actor clinician, int toStep, String note) {
        ApprovalTask task = lockForDecision(taskId, clinician);
        Instant now = clock.instant();
        Regimen regimen = currentRegimen(task);
        ProtocolLimits limits = Protocols.require(regimen.protocol());
        if (toStep == task.fromStep()) {
            throw new BoundsRefusedException(List.of("expected a dose step different from the current step "
                    + task.fromStep() + ", found " + toStep + " (approve a hold as proposed, or reject)"));
        }
        TierDecision check = recheck(task, toStep, limits, now);
        store.markModified(taskId, toStep);
        ApprovalTask decided = store.decide(taskId, TaskStatus.APPROVED, clinician.id(), now, null, note);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("task", taskId);
        detail.put("proposal", task.proposalId());
        detail.put("fromStep", task.fromStep());
        detail.put("proposedStep", task.toStep());
        detail.put("chosenStep", toStep);
        detail.put("recheck", check.fired());
        detail.put("rulesVersion", check.rulesVersion());
        detail.put("note", CallerText.capped(String.valueOf(note)));
        audit.append(AuditEvent.of(AuditEventType.TASK_MODIFIED, clinician, task.patientId(), detail));
        feedback.record(store.feedback(task.proposalId(), ClinicianFeedback.Action.MODIFIED, toStep, null,
                Direction.between(task.fromStep(), toStep),
                "modified to step " + toStep + ": the clinician's direction", clinician.id(), now));
        Delivery.deliver(store, audit, limits, regimen, task.proposalId(), toStep, clinician, clinician, now, true);
        Autonomy.reset(store, audit, task.patientId(), settings.requiredApprovals(), now,
                "proposal modified by " + clinician.id());
        return decided;
    }

    /** Rejects the proposal with a coded reason; nothing is delivered and the patient is back to approval-only. */
    @Transactional
    public ApprovalTask reject(String taskId, Actor clinician, RejectionReason reason, String note) {
        if (reason == null) {
            throw new BoundsRefusedException(List.of("expected a rejection reason, one of "
                    + List.of(RejectionReason.values()) + ", found none"));
        }
        ApprovalTask task = lockForDecision(taskId, clinician);
        Instant now = clock.instant();
        ApprovalTask decided = store.decide(taskId, TaskStatus.REJECTED, clinician.id(), now, reason.name(), note);
        audit.append(AuditEvent.of(AuditEventType.TASK_REJECTED, clinician, task.patientId(), Map.of(
                "task", taskId, "proposal", task.proposalId(), "reason", reason.name(), "note", CallerText.capped(String.valueOf(note)))));
        Direction proposed = Direction.between(task.fromStep(), task.toStep());
        feedback.record(store.feedback(task.proposalId(), ClinicianFeedback.Action.REJECTED, task.fromStep(),
                reason.name(), reason.label(proposed), reason.labelNote(proposed), clinician.id(), now));
        Autonomy.reset(store, audit, task.patientId(), settings.requiredApprovals(), now,
                "proposal rejected by " + clinician.id() + " (" + reason + ")");
        return decided;
    }

    /**
     * A dose step a clinician could choose instead of the proposal, and whether {@link #modify}
     * would deliver it now.
     *
     * @param step      the ladder step
     * @param dose      its dose, as the ladder describes it
     * @param current   the patient's step now (choosing it is a hold: approve as proposed or reject)
     * @param proposed  the step the proposal named
     * @param allowed   true when a modification to it would pass the same re-check as {@link #modify}
     * @param refusals  why not: every rule that would block it, in the rule's words
     */
    public record StepOption(int step, String dose, boolean current, boolean proposed, boolean allowed,
                             List<String> refusals) {

        public StepOption {
            refusals = List.copyOf(refusals);
        }
    }

    /** A task's ladder, each step re-checked (the patient is named, so reading it is recorded as a read of their data). */
    public record StepOptions(String taskId, String patientId, int fromStep, int proposedStep, List<StepOption> steps)
            implements org.clinloop.audit.PatientData {

        public StepOptions {
            steps = List.copyOf(steps);
        }
    }

    /**
     * Every step of the protocol's ladder, each re-checked as {@link #modify} would re-check it
     * (the same rules, bounds, hard limits and today's context), so that a clinician is offered only
     * what would be delivered. Reads only; {@link #modify} checks again when asked.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public StepOptions stepOptions(String taskId, Actor clinician) {
        String notFound = "No task " + taskId + ".";
        String patientId = store.taskPatient(taskId).orElseThrow(() -> new UnknownResourceException(notFound));
        UnknownResourceException.unlessReadable(patientId,
                () -> Roles.requireClinicianFor(clinician, patientId, careTeam), notFound);
        ApprovalTask task = store.task(taskId).orElseThrow(() -> new UnknownResourceException(notFound));
        if (task.status() != TaskStatus.REQUESTED) {
            throw new TaskConflictException("Task " + taskId + " is " + task.status() + ": no step can be chosen for it.", task);
        }
        Regimen regimen = store.regimen(patientId)
                .orElseThrow(() -> new TaskConflictException("Patient " + patientId + " has no regimen.", task));
        ProtocolLimits limits = Protocols.require(regimen.protocol());
        Instant now = clock.instant();
        Recheck recheck = recheckFor(patientId, limits, now);
        List<StepOption> options = new java.util.ArrayList<>();
        for (int step = 0; step <= limits.ladder().highestStep(); step++) {
            boolean current = step == regimen.doseStep();
            List<String> refusals = current ? List.of("the current step: approve a hold as proposed, or reject")
                    : modificationRefusals(evaluate(recheck, task.fromStep(), step), step, limits);
            options.add(new StepOption(step, limits.ladder().describe(step), current, step == task.toStep(),
                    !current && regimen.doseStep() == task.fromStep() && refusals.isEmpty(), refusals));
        }
        return new StepOptions(taskId, patientId, task.fromStep(), task.toStep(), options);
    }

    /**
     * Why a clinician's chosen step may not be delivered, from the rules' re-check of it: every
     * rule that BLOCKED it, and the hard limits whatever the rules said. Empty when allowed.
     */
    public static List<String> modificationRefusals(TierDecision check, int toStep, ProtocolLimits limits) {
        List<String> out = new java.util.ArrayList<>(check.fired().stream().filter(f -> f.verdict() == Tier.BLOCKED)
                .map(f -> f.rule() + ": " + f.reason()).toList());
        if (!BoundsCheck.insideHardLimits(toStep, limits) && out.isEmpty()) {
            out.add("expected a dose step within the protocol ladder 0.." + limits.ladder().highestStep() + ", found "
                    + toStep);
        }
        return out;
    }

    private Regimen currentRegimen(ApprovalTask task) {
        Regimen regimen = store.lockRegimen(task.patientId())
                .orElseThrow(() -> new TaskConflictException("Patient " + task.patientId() + " has no regimen.", task));
        if (regimen.doseStep() != task.fromStep()) {
            throw new TaskConflictException("Expected the dose to be at step " + task.fromStep()
                    + " as when proposed, found step " + regimen.doseStep() + ": the proposal is stale.", task);
        }
        return regimen;
    }

    /**
     * The rules' verdict on a clinician's own step from {@code fromStep} to {@code toStep} (probability
     * 1), over the patient's active bounds and the context a modification is re-checked in. Also how
     * an order drafted in the EHR is checked ({@link PointOfCare#checkOrder}): one path for both.
     *
     * @throws BoundsRefusedException when the patient has no reading in 30 days to check against
     */
    public TierDecision evaluateStep(String patientId, int fromStep, int toStep, ProtocolLimits limits, Instant now) {
        return evaluate(recheckFor(patientId, limits, now), fromStep, toStep);
    }

    /** What a clinician's own step is re-checked against: loaded once, for one step or the whole ladder. */
    private record Recheck(SafetyBounds bounds, ProtocolLimits limits, DecisionContext context) {
    }

    private Recheck recheckFor(String patientId, ProtocolLimits limits, Instant now) {
        return new Recheck(store.activeBounds(patientId).orElseGet(() -> SafetyBounds.protocolDefault(patientId, limits)),
                limits, recheckContext(patientId, now));
    }

    private TierDecision evaluate(Recheck recheck, int fromStep, int toStep) {
        return rules.evaluate(new ProposedStep(fromStep, toStep, 1.0), recheck.bounds(), recheck.limits(), recheck.context());
    }

    /** The context a clinician's modification is re-checked in: the latest reading and what is known now. */
    private DecisionContext recheckContext(String patientId, Instant now) {
        List<BloodPressureReading> recent = readings.isResolvable()
                ? readings.get().between(patientId, now.minus(Duration.ofDays(30)), now) : List.of();
        if (recent.isEmpty()) {
            throw new BoundsRefusedException(List.of("expected a recent blood-pressure reading to check the modified dose "
                    + "against, found none in 30 days"));
        }
        ClinicalContext clinical = clinicalSources.isResolvable() ? clinicalSources.get().of(patientId, now)
                : ClinicalContext.UNKNOWN;
        return new DecisionContext(recent.get(recent.size() - 1), recent, AutonomyState.NEW, AutoChangeHistory.NONE,
                clinical, now);
    }

    /**
     * Locks what a decision on the task touches, in the order every decision about a patient
     * takes them (the patient's regimen, then the task), so an approval never deadlocks with the
     * decision worker; then checks the clinician, and that the task is still open.
     */
    private ApprovalTask lockForDecision(String taskId, Actor clinician) {
        String notFound = "No task " + taskId + ".";
        String patientId = store.taskPatient(taskId).orElseThrow(() -> new UnknownResourceException(notFound));
        UnknownResourceException.unlessReadable(patientId,
                () -> Roles.requireClinicianFor(clinician, patientId, careTeam), notFound);
        store.lockRegimen(patientId);
        ApprovalTask task = store.lockTask(taskId)
                .orElseThrow(() -> new UnknownResourceException("No task " + taskId + "."));
        if (task.status() == TaskStatus.CANCELLED) {
            Optional<ApprovalTask> current = task.successorTask() != null ? store.task(task.successorTask())
                    : store.openTask(patientId);
            throw new TaskConflictException("Task " + taskId + " was cancelled (" + task.reasonCode() + ": "
                    + task.note() + ") at " + task.decidedAt() + "; nothing was delivered. "
                    + current.map(c -> "The current task is " + c.id() + " (" + c.status() + ").")
                            .orElse("No task about this patient is open now."), current.orElse(task));
        }
        if (task.status() != TaskStatus.REQUESTED) {
            throw new TaskConflictException("Task " + taskId + " was already " + task.status() + " by "
                    + task.decidedBy() + " at " + task.decidedAt() + ".", task);
        }
        if (task.expiresAt() != null && clock.instant().isAfter(task.expiresAt())) {
            throw new TaskConflictException("Task " + taskId + " expired at " + task.expiresAt()
                    + ": nothing was delivered; a new reading will bring a new proposal.", task);
        }
        return task;
    }
}
