package org.clinloop.approval.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.clinloop.approval.ApprovalTask;
import org.clinloop.approval.AutoChangeHistory;
import org.clinloop.approval.AutonomyState;
import org.clinloop.approval.CareGoal;
import org.clinloop.approval.DecisionRecord;
import org.clinloop.approval.DoseAdjustment;
import org.clinloop.approval.Protocols;
import org.clinloop.approval.Regimen;
import org.clinloop.approval.SafetyAlert;
import org.clinloop.approval.SafetyBounds;
import org.clinloop.approval.TaskPriority;
import org.clinloop.approval.TaskStatus;
import org.clinloop.approval.TierDecision;
import org.clinloop.audit.EntryCodec;
import org.clinloop.recommendation.ClinicianFeedback;
import org.clinloop.recommendation.Direction;
import org.clinloop.recommendation.Recommendation;

/**
 * Persistence of the approval workflow. Joins the caller's transaction; rows never leave this
 * package, only the public records do.
 */
@ApplicationScoped
public class WorkflowStore {

    /** Alerts shown with a task: those since it was queued, newest first, at most this many. */
    static final int ALERTS_PER_TASK = 20;

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;
    @jakarta.inject.Inject
    OutboxStore outbox;

    // --- bounds and regimen -------------------------------------------------------------

    public Optional<SafetyBounds> activeBounds(String patientId) {
        return em.createQuery("select b from BoundsRow b where b.patientId = :p and b.active = true", BoundsRow.class)
                .setParameter("p", patientId).getResultList().stream().findFirst().map(BoundsRow::toBounds);
    }

    public List<SafetyBounds> boundsHistory(String patientId) {
        return em.createQuery("select b from BoundsRow b where b.patientId = :p order by b.version desc", BoundsRow.class)
                .setParameter("p", patientId).getResultList().stream().map(BoundsRow::toBounds).toList();
    }

    public int nextBoundsVersion(String patientId) {
        Integer max = em.createQuery("select max(b.version) from BoundsRow b where b.patientId = :p", Integer.class)
                .setParameter("p", patientId).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    /** Stores a signed, not yet active bounds version. */
    public void saveDraft(SafetyBounds bounds) {
        em.persist(new BoundsRow(bounds));
    }

    /** Makes one stored version the only active one; empty when there is no such version. */
    public Optional<SafetyBounds> activate(String patientId, int version, String by, Instant at) {
        BoundsRow target = em.find(BoundsRow.class, patientId + "/v" + version, LockModeType.PESSIMISTIC_WRITE);
        if (target == null) {
            return Optional.empty();
        }
        for (BoundsRow row : em.createQuery(
                        "select b from BoundsRow b where b.patientId = :p and b.active = true", BoundsRow.class)
                .setParameter("p", patientId).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList()) {
            row.deactivate();
        }
        target.activate(by, at);
        return Optional.of(target.toBounds());
    }

    /** Whether a version was ever activated (a superseded version may not come back). */
    public boolean wasActivated(String patientId, int version) {
        BoundsRow row = em.find(BoundsRow.class, patientId + "/v" + version);
        return row != null && row.activatedAt() != null;
    }

    /** The regimen, locked until the transaction ends: decisions about one patient never interleave. */
    public Optional<Regimen> lockRegimen(String patientId) {
        return Optional.ofNullable(em.find(RegimenRow.class, patientId, LockModeType.PESSIMISTIC_WRITE))
                .map(RegimenRow::toRegimen);
    }

    public Optional<Regimen> regimen(String patientId) {
        return Optional.ofNullable(em.find(RegimenRow.class, patientId)).map(RegimenRow::toRegimen);
    }

    public void saveRegimen(Regimen regimen) {
        RegimenRow row = em.find(RegimenRow.class, regimen.patientId(), LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            em.persist(new RegimenRow(regimen));
            outbox.open(regimen.patientId()); // a patient with a regimen can be queued for decisions
        } else {
            row.set(regimen);
        }
    }

    // --- rule sets ---------------------------------------------------------------------------

    /** Stores a rule set's text under its version; false when that version was already stored. */
    public boolean saveRuleSet(String version, String drl, Instant at) {
        if (em.find(RuleSetRow.class, version) != null) {
            return false;
        }
        em.persist(new RuleSetRow(version, drl, at));
        return true;
    }

    public Optional<String> ruleSet(String version) {
        return Optional.ofNullable(em.find(RuleSetRow.class, version)).map(RuleSetRow::drl);
    }

    /**
     * A clinician's decision on a proposal as labelled feedback for the model that made it.
     *
     * @param chosenStep the step the clinician set (the current one when rejecting)
     * @param label      what the decision teaches, or null
     * @param labelNote  why
     */
    public ClinicianFeedback feedback(String proposalId, ClinicianFeedback.Action action, int chosenStep,
                                      String reason, Direction label, String labelNote, String decidedBy,
                                      Instant decidedAt) {
        ProposalRow p = em.find(ProposalRow.class, proposalId);
        return new ClinicianFeedback(proposalId, p.modelId(), p.patientId(), p.createdAt(),
                EntryCodec.parseNumbers(p.featuresJson()),
                Direction.valueOf(p.direction()), p.fromStep(), p.toStep(), action, chosenStep, reason, label,
                labelNote, decidedBy, decidedAt);
    }

    public Optional<String> proposalPatient(String proposalId) {
        return Optional.ofNullable(em.find(ProposalRow.class, proposalId)).map(ProposalRow::patientId);
    }

    // --- proposals, tasks, adjustments, alerts --------------------------------------------

    public void saveProposal(String id, Instant at, String triggerObservation, Recommendation r, TierDecision d) {
        em.persist(new ProposalRow(id, at, triggerObservation, r, d));
    }

    public void saveTask(String id, String proposalId, String patientId, TaskPriority priority, String owner,
                         Instant at, Instant expiresAt) {
        em.persist(new TaskRow(id, proposalId, patientId, priority, owner, at, expiresAt));
    }

    /** Records the dose a clinician chose instead of the proposal's. */
    public void markModified(String taskId, int toStep) {
        em.find(TaskRow.class, taskId, LockModeType.PESSIMISTIC_WRITE).modifiedTo(toStep);
    }

    /** Raises the priority of the patient's open tasks (never lowers it). */
    public void raiseOpenTasks(String patientId, TaskPriority priority) {
        for (TaskRow t : em.createQuery("select t from TaskRow t where t.patientId = :p and t.status = :s", TaskRow.class)
                .setParameter("p", patientId).setParameter("s", TaskStatus.REQUESTED).getResultList()) {
            t.raise(priority);
        }
    }

    /**
     * An open task as far as withdrawing it needs: its proposal and the dose step it was proposed from.
     *
     * @param id         the task
     * @param proposalId its proposal
     * @param fromStep   the dose step the proposal started from
     */
    public record OpenTask(String id, String proposalId, int fromStep) {
    }

    /**
     * The patient's open (REQUESTED) tasks, locked, oldest first: one query, with nothing loaded
     * for display (the full view costs three more per task, and a decision runs this every time).
     */
    public List<OpenTask> lockOpenTasks(String patientId) {
        List<OpenTask> open = new ArrayList<>();
        for (Object[] r : em.createQuery("select t, p.fromStep from TaskRow t join ProposalRow p on p.id = t.proposalId"
                        + " where t.patientId = :p and t.status = :s order by t.createdAt", Object[].class)
                .setParameter("p", patientId).setParameter("s", TaskStatus.REQUESTED)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList()) {
            TaskRow t = (TaskRow) r[0];
            open.add(new OpenTask(t.id(), t.proposalId(), ((Number) r[1]).intValue()));
        }
        return open;
    }

    /**
     * Withdraws an open task (reason {@code superseded} or {@code stale}); nothing is delivered.
     * The task was locked by {@link #lockOpenTasks}, so finding it again reads no row.
     */
    public void cancelTask(String taskId, String reasonCode, String by, Instant at, String note, String successor) {
        TaskRow row = em.find(TaskRow.class, taskId, LockModeType.PESSIMISTIC_WRITE);
        row.cancel(reasonCode, by, at, note, successor);
    }

    /** The open task about a patient, if any (at most one is open at a time). */
    public Optional<ApprovalTask> openTask(String patientId) {
        return em.createQuery("select t from TaskRow t where t.patientId = :p and t.status = :s"
                        + " order by t.createdAt desc", TaskRow.class)
                .setParameter("p", patientId).setParameter("s", TaskStatus.REQUESTED).setMaxResults(1)
                .getResultList().stream().findFirst().map(this::view);
    }

    /** Open tasks whose time ran out. */
    public List<String> expiredTasks(Instant now, int limit) {
        return em.createQuery("select t.id from TaskRow t where t.status = :s and t.expiresAt < :now", String.class)
                .setParameter("s", TaskStatus.REQUESTED).setParameter("now", now).setMaxResults(limit).getResultList();
    }

    // --- autonomy and automatic-change history --------------------------------------------

    public AutonomyState autonomy(String patientId, int required) {
        AutonomyRow row = em.find(AutonomyRow.class, patientId);
        return row == null ? AutonomyState.initial(required) : row.toState();
    }

    public void saveAutonomy(String patientId, AutonomyState state, Instant at, String reason) {
        AutonomyRow row = em.find(AutonomyRow.class, patientId, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            em.persist(new AutonomyRow(patientId, state, at, reason));
        } else {
            row.set(state, at, reason);
        }
    }

    /** The automatic changes delivered to a patient before {@code now}. */
    public AutoChangeHistory autoChanges(String patientId, Instant now) {
        // One query: the latest automatic change ever, and how many in the last 30 days.
        Object[] r = em.createQuery("select max(a.createdAt),"
                        + " sum(case when a.createdAt > :from then 1 else 0 end) from AdjustmentRow a"
                        + " where a.patientId = :p and a.route = :r and a.createdAt <= :now", Object[].class)
                .setParameter("p", patientId).setParameter("r", DoseAdjustment.AUTO).setParameter("now", now)
                .setParameter("from", now.minus(java.time.Duration.ofDays(30))).getSingleResult();
        return new AutoChangeHistory((Instant) r[0], r[1] == null ? 0 : ((Number) r[1]).intValue());
    }

    // --- alerts -----------------------------------------------------------------------------

    /** An open alert of this code for the patient raised since {@code since}, locked, to merge a repeat into. */
    public Optional<SafetyAlert> openAlertSince(String patientId, String code, Instant since) {
        return em.createQuery("select a from AlertRow a where a.patientId = :p and a.code = :c and a.status = :s"
                        + " and a.createdAt >= :since order by a.createdAt desc", AlertRow.class)
                .setParameter("p", patientId).setParameter("c", code).setParameter("s", SafetyAlert.OPEN)
                .setParameter("since", since).setLockMode(LockModeType.PESSIMISTIC_WRITE).setMaxResults(1)
                .getResultList().stream().findFirst().map(AlertRow::toAlert);
    }

    public SafetyAlert repeatAlert(String alertId, Instant at) {
        AlertRow row = em.find(AlertRow.class, alertId, LockModeType.PESSIMISTIC_WRITE);
        row.repeated(at);
        return row.toAlert();
    }

    /** Acknowledges once; empty when there is no such alert, the alert unchanged when it was already acknowledged. */
    public Optional<SafetyAlert> acknowledgeAlert(String alertId, String by, Instant at) {
        AlertRow row = em.find(AlertRow.class, alertId, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            return Optional.empty();
        }
        row.acknowledge(by, at);
        return Optional.of(row.toAlert());
    }

    /** Open, high-severity alerts raised before {@code before} and not yet escalated. */
    public List<SafetyAlert> alertsToEscalate(Instant before, int limit) {
        return em.createQuery("select a from AlertRow a where a.status = :s and a.severity = :sev"
                        + " and a.escalatedAt is null and a.createdAt < :before", AlertRow.class)
                .setParameter("s", SafetyAlert.OPEN).setParameter("sev", "high").setParameter("before", before)
                .setMaxResults(limit).getResultList().stream().map(AlertRow::toAlert).toList();
    }

    /** The open alerts of these patients, newest first: all of them, however many others have open alerts. */
    public List<SafetyAlert> openAlertsOf(java.util.Collection<String> patientIds) {
        if (patientIds.isEmpty()) {
            return List.of();
        }
        return em.createQuery("select a from AlertRow a where a.status = :s and a.patientId in :ps"
                        + " order by a.createdAt desc", AlertRow.class)
                .setParameter("s", SafetyAlert.OPEN).setParameter("ps", patientIds).getResultList().stream()
                .map(AlertRow::toAlert).toList();
    }

    public List<SafetyAlert> openAlerts(int limit) {
        return em.createQuery("select a from AlertRow a where a.status = :s order by a.createdAt desc", AlertRow.class)
                .setParameter("s", SafetyAlert.OPEN).setMaxResults(limit).getResultList().stream()
                .map(AlertRow::toAlert).toList();
    }

    public void markEscalated(String alertId, Instant at) {
        em.find(AlertRow.class, alertId, LockModeType.PESSIMISTIC_WRITE).escalate(at);
    }

    public int alertsSince(String patientId, Instant since) {
        return em.createQuery("select count(a) from AlertRow a where a.patientId = :p and a.lastSeen >= :since",
                Long.class).setParameter("p", patientId).setParameter("since", since).getSingleResult().intValue();
    }

    // --- deliveries -------------------------------------------------------------------------

    /** Deliveries not acknowledged since before {@code before} and not yet flagged. */
    public List<DoseAdjustment> unacknowledged(Instant before, int limit) {
        return em.createQuery("select a from AdjustmentRow a where a.acknowledgedAt is null and a.flaggedAt is null"
                        + " and a.createdAt < :before", AdjustmentRow.class)
                .setParameter("before", before).setMaxResults(limit).getResultList().stream()
                .map(AdjustmentRow::toAdjustment).toList();
    }

    public void flagDelivery(String adjustmentId, Instant at) {
        em.find(AdjustmentRow.class, adjustmentId, LockModeType.PESSIMISTIC_WRITE).flag(at);
    }

    // --- goals ------------------------------------------------------------------------------

    public Optional<CareGoal> goal(String patientId) {
        return Optional.ofNullable(em.find(GoalRow.class, patientId)).map(GoalRow::toGoal);
    }

    public void saveGoal(CareGoal goal) {
        GoalRow row = em.find(GoalRow.class, goal.patientId(), LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            em.persist(new GoalRow(goal));
        } else {
            row.set(goal);
        }
    }

    public void saveAdjustment(DoseAdjustment adjustment) {
        em.persist(new AdjustmentRow(adjustment));
    }

    public void saveAlert(SafetyAlert alert) {
        em.persist(new AlertRow(alert));
    }

    public Optional<ApprovalTask> task(String taskId) {
        return Optional.ofNullable(em.find(TaskRow.class, taskId)).map(this::view);
    }

    /** Whose task it is, read without loading the row (so that locking it next reads it fresh). */
    public Optional<String> taskPatient(String taskId) {
        return em.createQuery("select t.patientId from TaskRow t where t.id = :id", String.class)
                .setParameter("id", taskId).getResultList().stream().findFirst();
    }

    /** Locks the task row: of two clinicians acting at once, the second sees the first's decision. */
    public Optional<ApprovalTask> lockTask(String taskId) {
        return Optional.ofNullable(em.find(TaskRow.class, taskId, LockModeType.PESSIMISTIC_WRITE)).map(this::view);
    }

    public ApprovalTask decide(String taskId, TaskStatus outcome, String by, Instant at, String reasonCode,
                               String note) {
        TaskRow row = em.find(TaskRow.class, taskId, LockModeType.PESSIMISTIC_WRITE);
        row.decide(outcome, by, at, reasonCode, note);
        return view(row);
    }

    /** The ids and patients of a clinician's waiting (REQUESTED) tasks, in one query and without their proposals. */
    public List<Map.Entry<String, String>> waitingTasksOwnedBy(String practitionerId) {
        return em.createQuery("select t.id, t.patientId from TaskRow t where t.ownerPractitioner = :o and t.status = :s"
                        + " order by t.id", Object[].class)
                .setParameter("o", practitionerId).setParameter("s", TaskStatus.REQUESTED).getResultList().stream()
                .map(r -> Map.entry((String) r[0], (String) r[1])).toList();
    }

    public List<ApprovalTask> tasksOwnedBy(String practitionerId, TaskStatus status, int limit) {
        StringBuilder jpql = new StringBuilder("select t from TaskRow t where t.ownerPractitioner = :o");
        if (status != null) {
            jpql.append(" and t.status = :s");
        }
        jpql.append(" order by case when t.priority = :stat then 0 when t.priority = :urgent then 1 else 2 end,"
                + " t.createdAt asc");
        TypedQuery<TaskRow> q = em.createQuery(jpql.toString(), TaskRow.class).setParameter("o", practitionerId)
                .setParameter("stat", TaskPriority.STAT).setParameter("urgent", TaskPriority.URGENT);
        if (status != null) {
            q.setParameter("s", status);
        }
        return views(q.setMaxResults(limit).getResultList());
    }

    public List<ApprovalTask> tasksForPatient(String patientId, int limit) {
        return views(em.createQuery("select t from TaskRow t where t.patientId = :p order by t.createdAt desc", TaskRow.class)
                .setParameter("p", patientId).setMaxResults(limit).getResultList());
    }

    public List<DoseAdjustment> adjustmentsFor(String patientId, int limit) {
        return em.createQuery("select a from AdjustmentRow a where a.patientId = :p order by a.createdAt desc",
                        AdjustmentRow.class)
                .setParameter("p", patientId).setMaxResults(limit).getResultList().stream()
                .map(AdjustmentRow::toAdjustment).toList();
    }

    public Optional<DoseAdjustment> adjustment(String id) {
        return Optional.ofNullable(em.find(AdjustmentRow.class, id)).map(AdjustmentRow::toAdjustment);
    }

    /** Sets the acknowledgement time once; returns false when it was already acknowledged. */
    public boolean acknowledge(String adjustmentId, Instant at) {
        AdjustmentRow row = em.find(AdjustmentRow.class, adjustmentId, LockModeType.PESSIMISTIC_WRITE);
        return row != null && row.acknowledge(at);
    }

    public List<SafetyAlert> alertsFor(String patientId, int limit) {
        return em.createQuery("select a from AlertRow a where a.patientId = :p order by a.createdAt desc", AlertRow.class)
                .setParameter("p", patientId).setMaxResults(limit).getResultList().stream().map(AlertRow::toAlert).toList();
    }

    public Optional<SafetyAlert> alert(String id) {
        return Optional.ofNullable(em.find(AlertRow.class, id)).map(AlertRow::toAlert);
    }

    /** Proposals made in [from, to), oldest first, joined with their task and alerts. */
    public List<DecisionRecord> decisionsBetween(Instant from, Instant to) {
        List<ProposalRow> proposals = em.createQuery("select p from ProposalRow p where p.createdAt >= :from"
                        + " and p.createdAt < :to order by p.createdAt", ProposalRow.class)
                .setParameter("from", from).setParameter("to", to).getResultList();
        java.util.Map<String, TaskRow> tasks = new java.util.HashMap<>();
        for (TaskRow t : em.createQuery("select t from TaskRow t where t.proposalId in "
                        + "(select p.id from ProposalRow p where p.createdAt >= :from and p.createdAt < :to)", TaskRow.class)
                .setParameter("from", from).setParameter("to", to).getResultList()) {
            tasks.put(t.proposalId(), t);
        }
        java.util.Map<String, List<String>> alerts = new java.util.HashMap<>();
        for (AlertRow a : em.createQuery("select a from AlertRow a where a.proposalId in "
                        + "(select p.id from ProposalRow p where p.createdAt >= :from and p.createdAt < :to)", AlertRow.class)
                .setParameter("from", from).setParameter("to", to).getResultList()) {
            SafetyAlert alert = a.toAlert();
            alerts.computeIfAbsent(alert.proposalId(), k -> new java.util.ArrayList<>()).add(alert.code());
        }
        List<DecisionRecord> out = new java.util.ArrayList<>(proposals.size());
        for (ProposalRow p : proposals) {
            TaskRow t = tasks.get(p.id());
            out.add(new DecisionRecord(p.id(), p.patientId(), p.createdAt(), p.direction(), p.modelId(), p.tier(),
                    t == null ? null : t.status(), t == null ? null : t.decidedAt(), t == null ? null : t.reasonCode(),
                    t != null && t.modifiedToStep() != null, alerts.getOrDefault(p.id(), List.of())));
        }
        return out;
    }

    private ApprovalTask view(TaskRow t) {
        return view(t, em.find(ProposalRow.class, t.proposalId()), regimen(t.patientId()).orElse(null),
                alertsSince(t.patientId(), t.createdAt(), ALERTS_PER_TASK));
    }

    /**
     * Many tasks at once, as {@link #view(TaskRow)} shows each: their proposals, the patients'
     * regimens and the alerts since the oldest task in three queries, not three per task.
     */
    private List<ApprovalTask> views(List<TaskRow> tasks) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        Set<String> proposalIds = new HashSet<>();
        Set<String> patientIds = new HashSet<>();
        Instant oldest = tasks.get(0).createdAt();
        for (TaskRow t : tasks) {
            proposalIds.add(t.proposalId());
            patientIds.add(t.patientId());
            oldest = t.createdAt().isBefore(oldest) ? t.createdAt() : oldest;
        }
        Map<String, ProposalRow> proposals = new HashMap<>();
        em.createQuery("select p from ProposalRow p where p.id in :ids", ProposalRow.class)
                .setParameter("ids", proposalIds).getResultList().forEach(p -> proposals.put(p.id(), p));
        Map<String, Regimen> regimens = new HashMap<>();
        em.createQuery("select r from RegimenRow r where r.patientId in :ps", RegimenRow.class)
                .setParameter("ps", patientIds).getResultList().stream().map(RegimenRow::toRegimen)
                .forEach(r -> regimens.put(r.patientId(), r));
        Map<String, List<SafetyAlert>> alerts = new HashMap<>();
        em.createQuery("select a from AlertRow a where a.patientId in :ps and a.lastSeen > :since"
                        + " order by a.lastSeen desc", AlertRow.class)
                .setParameter("ps", patientIds).setParameter("since", oldest).getResultList().stream()
                .map(AlertRow::toAlert).forEach(a -> alerts.computeIfAbsent(a.patientId(), k -> new ArrayList<>()).add(a));
        List<ApprovalTask> out = new ArrayList<>(tasks.size());
        for (TaskRow t : tasks) {
            List<SafetyAlert> since = alerts.getOrDefault(t.patientId(), List.of()).stream()
                    .filter(a -> a.lastSeen().isAfter(t.createdAt())).limit(ALERTS_PER_TASK).toList();
            out.add(view(t, proposals.get(t.proposalId()), regimens.get(t.patientId()), since));
        }
        return out;
    }

    private static ApprovalTask view(TaskRow t, ProposalRow p, Regimen regimen, List<SafetyAlert> alertsSince) {
        String regimenProtocol = regimen == null ? null : regimen.protocol();
        String dose = regimenProtocol == null ? "step " + p.toStep()
                : Protocols.byId(regimenProtocol).filter(l -> l.allows(p.toStep()))
                        .map(l -> l.ladder().describe(p.toStep())).orElse("step " + p.toStep());
        return new ApprovalTask(t.id(), t.proposalId(), t.patientId(), t.status(), t.priority(), t.ownerPractitioner(),
                t.createdAt(), p.fromStep(), p.toStep(), dose, p.direction(), p.probability(), p.rationale(),
                p.modelId(), p.reasons(), t.decidedBy(), t.decidedAt(), t.reasonCode(), t.note(), t.expiresAt(),
                t.modifiedToStep(), t.successorTask(), alertsSince);
    }

    /** The patient's alerts raised or repeated since {@code since}, newest first. */
    public List<SafetyAlert> alertsSince(String patientId, Instant since, int limit) {
        return em.createQuery("select a from AlertRow a where a.patientId = :p and a.lastSeen > :since"
                        + " order by a.lastSeen desc", AlertRow.class)
                .setParameter("p", patientId).setParameter("since", since).setMaxResults(limit).getResultList()
                .stream().map(AlertRow::toAlert).toList();
    }
}
