package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.CallerText;
import org.clinloop.audit.PatientData;
import org.clinloop.recommendation.ClinicianFeedback;
import org.clinloop.recommendation.Direction;
import org.clinloop.recommendation.FeedbackLog;

/**
 * Decision support inside the EHR (CDS Hooks): what ClinLoop knows of a patient, an order drafted
 * in the EHR checked exactly as a clinician's modification is, and what the clinician in the EHR
 * did with a proposal, kept as labelled feedback. The caller is an EHR system whose signed request
 * the edge has verified: the EHR vouches for its user, so no panel relationship is checked here;
 * anything but an EHR system is refused.
 */
@ApplicationScoped
public class PointOfCare {

    /**
     * Rules that only say ClinLoop may not deliver a change on its own. An order a clinician signs
     * is not automatic, so these do not make it worth a warning; every other rule that would send
     * a proposal to a clinician does.
     */
    static final Set<String> AUTOMATIC_DELIVERY_ONLY = Set.of("Autonomy not enabled", "Autonomy not yet earned",
            "Too soon after the last automatic change", "Monthly limit of automatic changes reached",
            "Model not confident enough", "Larger than the automatic step", SafetyRules.DENY_BY_DEFAULT,
            SafetyRules.SAFETY_NET);

    @Inject
    WorkflowStore store;
    @Inject
    ApprovalQueue queue;
    @Inject
    ProposalExplanations explanations;
    @Inject
    FeedbackLog feedback;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;

    /**
     * What ClinLoop knows of a patient for the EHR's patient view.
     *
     * @param regimen     the current regimen, or null when none is on record
     * @param goal        the blood-pressure goal (the protocol's when none was set)
     * @param openTask    the proposal waiting for a clinician, or null
     * @param explanation its recorded explanation, or null when there is no open task
     * @param openAlerts  alerts not yet acknowledged, newest first
     */
    public record Snapshot(String patientId, Regimen regimen, CareGoal goal, ApprovalTask openTask,
                           ProposalExplanations.Explained explanation, List<SafetyAlert> openAlerts)
            implements PatientData {
        public Snapshot {
            Objects.requireNonNull(patientId, "Patient id is required.");
            Objects.requireNonNull(goal, "Goal is required.");
            openAlerts = List.copyOf(openAlerts);
        }
    }

    /** Where an order drafted in the EHR stands against the patient's limits, bounds and rules. */
    public enum OrderVerdict {
        /** A rule or the hard limits would block it: a critical card. */
        BLOCKED,
        /** A rule would send the same step to a clinician for review: a warning. */
        NEEDS_REVIEW,
        /** Inside the hard limits and bounds, nothing fired that needs review. */
        WITHIN_BOUNDS,
        /** Could not be checked (no regimen, no recent reading, a dose off the ladder): said so, as a warning. */
        NOT_CHECKED
    }

    /**
     * The check of one drafted order.
     *
     * @param fromStep      the patient's current dose step (-1 without a regimen)
     * @param toStep        the step the order would set
     * @param reasons       why, in the rules' words (each {@code rule: reason} where a rule said it)
     * @param fired         every rule that fired
     * @param rulesVersion  the rule set, or null when no rule ran
     * @param boundsVersion the bounds weighed, or null when no rule ran
     */
    public record OrderCheck(OrderVerdict verdict, int fromStep, int toStep, List<String> reasons,
                             List<RuleFiring> fired, String rulesVersion, Integer boundsVersion) {
        public OrderCheck {
            Objects.requireNonNull(verdict, "Verdict is required.");
            reasons = List.copyOf(reasons);
            fired = List.copyOf(fired);
        }

        static OrderCheck notChecked(int fromStep, int toStep, String why) {
            return new OrderCheck(OrderVerdict.NOT_CHECKED, fromStep, toStep, List.of(why), List.of(), null, null);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Snapshot snapshot(String patientId, Actor ehr) {
        requireEhr(ehr);
        Regimen regimen = store.regimen(patientId).orElse(null);
        CareGoal goal = store.goal(patientId).orElseGet(() -> CareGoal.protocolDefault(patientId));
        ApprovalTask task = store.openTask(patientId).orElse(null);
        ProposalExplanations.Explained explained = task == null ? null : explanations.explain(task);
        List<SafetyAlert> open = store.openAlertsOf(List.of(patientId)).stream()
                .filter(a -> SafetyAlert.OPEN.equals(a.status())).toList();
        return new Snapshot(patientId, regimen, goal, task, explained, open);
    }

    /** The patient's regimen, if any (to place a drafted order on its ladder). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Regimen> regimen(String patientId, Actor ehr) {
        requireEhr(ehr);
        return store.regimen(patientId);
    }

    /**
     * Checks a drafted order that would set the patient's dose to {@code toStep} of their
     * protocol, through the same rules a clinician's modification passes ({@link ApprovalQueue}).
     * Nothing is changed.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public OrderCheck checkOrder(String patientId, int toStep, Actor ehr) {
        requireEhr(ehr);
        Optional<Regimen> regimen = store.regimen(patientId);
        if (regimen.isEmpty()) {
            return OrderCheck.notChecked(-1, toStep, "no regimen on record for Patient/" + patientId
                    + ": ClinLoop has no current dose to check the order against");
        }
        int from = regimen.get().doseStep();
        ProtocolLimits limits = Protocols.require(regimen.get().protocol());
        if (toStep == from) {
            return new OrderCheck(OrderVerdict.WITHIN_BOUNDS, from, toStep, List.of("the order keeps the current dose "
                    + limits.ladder().describe(from)), List.of(), null, null);
        }
        TierDecision check;
        try {
            check = queue.evaluateStep(patientId, from, toStep, limits, clock.instant());
        } catch (BoundsRefusedException e) {
            return OrderCheck.notChecked(from, toStep, String.join("; ", e.violations()));
        }
        return classify(check, limits);
    }

    /**
     * The verdict on a clinician's step from the rules' decision on it: BLOCKED when a modification
     * to it would be refused ({@link ApprovalQueue#modificationRefusals}), NEEDS_REVIEW when a rule
     * other than those about automatic delivery would send it to a clinician, else WITHIN_BOUNDS.
     */
    static OrderCheck classify(TierDecision check, ProtocolLimits limits) {
        List<String> refusals = ApprovalQueue.modificationRefusals(check, check.toStep(), limits);
        if (!refusals.isEmpty()) {
            return new OrderCheck(OrderVerdict.BLOCKED, check.fromStep(), check.toStep(), refusals, check.fired(),
                    check.rulesVersion(), check.boundsVersion());
        }
        List<String> review = check.fired().stream()
                .filter(f -> f.verdict() == Tier.NEEDS_APPROVAL && !AUTOMATIC_DELIVERY_ONLY.contains(f.rule()))
                .map(f -> f.rule() + ": " + f.reason()).toList();
        return new OrderCheck(review.isEmpty() ? OrderVerdict.WITHIN_BOUNDS : OrderVerdict.NEEDS_REVIEW,
                check.fromStep(), check.toStep(), review, check.fired(), check.rulesVersion(), check.boundsVersion());
    }

    /** What the clinician in the EHR did with a proposal's card. */
    public enum EhrOutcome {
        ACCEPTED,
        OVERRIDDEN
    }

    /**
     * Records what the clinician in the EHR did with the open proposal: the task is withdrawn
     * (reason {@code ehr-accepted} / {@code ehr-overridden}; ClinLoop delivers nothing, an accepted
     * suggestion becomes the EHR's own order, which reaches ClinLoop as a prescription), and the
     * decision is kept as labelled feedback linked to the proposal and its model version, as an
     * approval or a rejection in the portal is.
     *
     * @param reason the coded override reason (null: {@link RejectionReason#OTHER}); ignored when accepted
     * @throws TaskConflictException when the proposal is no longer open
     */
    @Transactional
    public ClinicianFeedback recordOutcome(String proposalId, EhrOutcome outcome, RejectionReason reason, String note,
                                           Actor ehr) {
        requireEhr(ehr);
        String notFound = "No proposal " + proposalId + ".";
        String patientId = store.proposalPatient(proposalId).orElseThrow(() -> new UnknownResourceException(notFound));
        store.lockRegimen(patientId);
        ApprovalTask task = store.lockOpenTasks(patientId).stream().filter(t -> t.proposalId().equals(proposalId))
                .findFirst().flatMap(t -> store.task(t.id()))
                .orElseThrow(() -> new TaskConflictException("Expected proposal " + proposalId
                        + " to be waiting for a decision, found it decided, withdrawn or expired.",
                        store.openTask(patientId).orElse(null)));
        Instant now = clock.instant();
        String code = "ehr-" + outcome.name().toLowerCase(java.util.Locale.ROOT);
        String text = CallerText.capped(String.valueOf(note));
        store.cancelTask(task.id(), code, ehr.id(), now, outcome == EhrOutcome.ACCEPTED
                ? "accepted in the EHR; the EHR's order sets the dose" : "overridden in the EHR: " + text, null);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("task", task.id());
        detail.put("proposal", proposalId);
        detail.put("reason", code);
        audit.append(AuditEvent.of(AuditEventType.TASK_CANCELLED, ehr, patientId, detail));
        Direction proposed = Direction.between(task.fromStep(), task.toStep());
        ClinicianFeedback kept;
        if (outcome == EhrOutcome.ACCEPTED) {
            kept = store.feedback(proposalId, ClinicianFeedback.Action.APPROVED, task.toStep(), null, proposed,
                    "accepted in the EHR", ehr.id(), now);
        } else {
            RejectionReason why = reason == null ? RejectionReason.OTHER : reason;
            kept = store.feedback(proposalId, ClinicianFeedback.Action.REJECTED, task.fromStep(), why.name(),
                    why.label(proposed), why.labelNote(proposed), ehr.id(), now);
        }
        feedback.record(kept);
        return kept;
    }

    private static void requireEhr(Actor actor) {
        if (!actor.hasRole(Roles.EHR_SYSTEM)) {
            throw new AccessRefusedException("Expected an EHR system, found " + actor.id() + " with roles "
                    + actor.roles() + ".");
        }
    }
}
