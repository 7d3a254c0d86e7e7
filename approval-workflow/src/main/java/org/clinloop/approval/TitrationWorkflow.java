package org.clinloop.approval;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.clinloop.approval.internal.CrisisWatchStore;
import org.clinloop.approval.internal.OutboxStore;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.recommendation.BloodPressureReading;
import org.clinloop.recommendation.PatientSignals;
import org.clinloop.recommendation.PatientSnapshot;
import org.clinloop.recommendation.ProposalRecorded;
import org.clinloop.recommendation.Recommendation;
import org.clinloop.recommendation.Recommender;

/**
 * Two halves of one decision about a patient. At ingest, in the reading's transaction,
 * {@link #onReading} runs the checks that must not wait (crisis, hypotension, reported symptoms),
 * raises their alerts and queues the patient in the {@link DecisionQueue}. Later, in a worker's
 * transaction, {@link #decide} makes one decision over every reading the patient sent since the
 * last: propose, decide the tier, then deliver, queue or block, superseding the open task. A
 * decision and its audit entries commit together or not at all, and the readings it covered leave
 * the outbox in the same commit.
 */
@ApplicationScoped
public class TitrationWorkflow {

    static final Actor ENGINE = Actor.system("recommendation-engine");
    static final Actor RULES = Actor.system("approval-workflow");
    /** How far back a decision sees a patient's readings. */
    static final java.time.Duration HISTORY = java.time.Duration.ofDays(30);

    /** What a patient app is told when a first reading is in the crisis range. */
    static final String REMEASURE = "reading at or above 180/120 mm[Hg]: rest for five minutes, then measure again;"
            + " a second reading in this range raises an alert for immediate clinical review, and so does silence";

    @Inject
    Recommender recommender;
    @Inject
    SafetyRules rules;
    @Inject
    WorkflowStore store;
    @Inject
    OutboxStore outbox;
    @Inject
    CrisisWatchStore crises;
    @Inject
    AuditLog audit;
    @Inject
    CareTeam careTeam;
    @Inject
    Clock clock;
    @Inject
    WorkflowSettings settings;
    @Inject
    ReadingHistory readings;
    @Inject
    jakarta.enterprise.inject.Instance<ClinicalContextSource> clinicalSources;
    @Inject
    DecisionWorker worker;
    @Resource
    TransactionSynchronizationRegistry transactions;

    /**
     * What ingest did with one reading before answering: the alerts it raised and whether the
     * patient is queued for a decision.
     *
     * @param alerts        alerts raised (or repeated) by this reading
     * @param queued        whether a decision will follow
     * @param instruction   what the patient should do now (re-measure a crisis reading), or null
     * @param skippedReason why no decision will follow, or null
     */
    public record Receipt(List<SafetyAlert> alerts, boolean queued, String instruction, String skippedReason) {
        public Receipt {
            alerts = List.copyOf(alerts);
        }
    }

    /**
     * The immediate half, in the reading's transaction: alerts that must not wait for the model,
     * then the patient is queued for a decision (unless the reading is history, or the patient has
     * no regimen to titrate).
     *
     * @param patientId the patient
     * @param history   the patient's recent readings, including {@code reading}
     * @param reading   the reading just accepted
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Receipt onReading(String patientId, List<BloodPressureReading> history, BloodPressureReading reading) {
        Instant now = clock.instant();
        if (reading.effective().isBefore(now.minus(settings.decisionHorizon()))) {
            // Neither a proposal nor an alert: an alert is a call to act now, and this reading is history.
            String reason = "reading measured at " + reading.effective() + ", more than "
                    + settings.decisionHorizon().toHours() + " hours ago: kept as history, too old to act on";
            audit.append(AuditEvent.of(AuditEventType.PROPOSAL_SKIPPED, ENGINE, patientId, Map.of(
                    "observation", String.valueOf(reading.observationId()), "reason", reason)));
            return new Receipt(List.of(), false, null, reason);
        }
        Optional<Regimen> regimen = store.regimen(patientId);
        SafetyBounds bounds = boundsFor(patientId, regimen);
        ProtocolLimits limits = Protocols.require(bounds.protocol());
        // Autonomy and automatic-change history only matter to a proposal; the alert rules read
        // the reading, the readings around it and the clinical context.
        DecisionContext context = new DecisionContext(reading, history, AutonomyState.NEW, AutoChangeHistory.NONE,
                clinical(patientId, now), now);
        TierDecision immediate = rules.evaluate(null, bounds, limits, context);
        boolean queued = regimen.isPresent() && outbox.enqueue(patientId, reading.observationId(),
                reading.effective(), now);
        if (queued) {
            wakeWorkerAfterCommit();
        }
        List<SafetyAlert> alerts = raise(patientId, null, reading.observationId(), immediate.alerts(), now);
        String instruction = null;
        if (reading.isHypertensiveCrisis() && !context.crisisConfirmed(limits.crisisConfirmation())) {
            instruction = REMEASURE;
            crises.watch(reading.observationId(), patientId, reading.effective(),
                    now.plus(settings.crisisConfirmWithin()));
        } else {
            // Confirmed (its alert was raised just now) or refuted by a reading below the range.
            crises.settle(patientId, reading.effective());
        }
        if (!queued) {
            String reason = "no current regimen on record for this patient";
            audit.append(AuditEvent.of(AuditEventType.PROPOSAL_SKIPPED, ENGINE, patientId, Map.of(
                    "observation", String.valueOf(reading.observationId()), "reason", reason,
                    "rulesFired", immediate.fired(), "rulesVersion", immediate.rulesVersion())));
            return new Receipt(alerts, false, instruction, reason);
        }
        return new Receipt(alerts, true, instruction, null);
    }

    /** Once per transaction: when the readings it queued are committed, a worker looks at once. */
    private void wakeWorkerAfterCommit() {
        if (transactions.getResource(DecisionWorker.class) != null) {
            return;
        }
        transactions.putResource(DecisionWorker.class, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    worker.nudge();
                }
            }
        });
    }

    /**
     * Raises the alert of every crisis reading that nobody confirmed or refuted in time: silence
     * after a reading of 180/120 or more is not reassurance. One transaction; returns how many.
     */
    @Transactional
    public int alertUnconfirmedCrises() {
        Instant now = clock.instant();
        int n = 0;
        for (CrisisWatchStore.Watch w : crises.expired(now, 200)) {
            Alert alert = new Alert(Alert.HYPERTENSIVE_CRISIS + "-unconfirmed", "high", "a reading at or above"
                    + " 180/120 mm[Hg] measured at " + w.effective() + " was neither confirmed nor refuted by another"
                    + " reading within " + settings.crisisConfirmWithin().toMinutes() + " min: immediate clinical review");
            raise(w.patientId(), null, w.observationId(), List.of(alert), now);
            crises.end(w.observationId());
            n++;
        }
        return n;
    }

    /**
     * Takes the patient whose decision has waited longest and decides it, in a transaction of its
     * own; empty when no patient is due. Patients another worker holds are skipped.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<WorkflowOutcome> decideNextDue() {
        Instant now = clock.instant();
        return outbox.claimDue(now).map(claim -> decide(claim.patientId(), claim.pending()));
    }

    /**
     * One decision on the patient's current state, covering {@code covered}: the newest reading up
     * to the newest covered one triggers it, with 30 days of readings before it as history.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public WorkflowOutcome decide(String patientId, List<DecisionQueue.PendingReading> covered) {
        Instant now = clock.instant();
        List<String> coveredIds = covered.stream().map(DecisionQueue.PendingReading::observationId).toList();
        Optional<Regimen> regimen = store.lockRegimen(patientId);
        Instant newest = covered.stream().map(DecisionQueue.PendingReading::effective).max(Instant::compareTo)
                .orElse(now);
        List<BloodPressureReading> history = readings.between(patientId, newest.minus(HISTORY), newest);
        if (history.isEmpty() || regimen.isEmpty()) {
            String reason = history.isEmpty() ? "the covered readings are no longer stored"
                    : "no current regimen on record for this patient";
            audit.append(AuditEvent.of(AuditEventType.PROPOSAL_SKIPPED, ENGINE, patientId, Map.of(
                    "covered", coveredIds, "reason", reason)));
            outbox.decided(patientId, coveredIds, now, null, settings.quietPeriod());
            return new WorkflowOutcome(null, null, null, null, null, List.of(), reason);
        }
        BloodPressureReading trigger = history.get(history.size() - 1);
        SafetyBounds bounds = boundsFor(patientId, regimen);
        ProtocolLimits limits = Protocols.require(bounds.protocol());
        DecisionContext context = new DecisionContext(trigger, history, store.autonomy(patientId,
                settings.requiredApprovals()), store.autoChanges(patientId, now), clinical(patientId, now), now);
        PatientSignals signals = clinicalSources.isResolvable()
                ? clinicalSources.get().signals(patientId, trigger.effective()) : PatientSignals.UNKNOWN;
        PatientSnapshot snapshot = new PatientSnapshot(patientId, trigger.effective(), history,
                regimen.get().doseStep(), limits.ladder().highestStep(), signals,
                Protocols.require(regimen.get().protocol()).drugClass());
        Optional<Recommendation> proposed = recommender.recommend(snapshot);
        if (proposed.isEmpty()) {
            TierDecision alertsOnly = rules.evaluate(null, bounds, limits, context);
            String reason = "no ACTIVE model version";
            audit.append(AuditEvent.of(AuditEventType.PROPOSAL_SKIPPED, ENGINE, patientId, Map.of(
                    "observation", String.valueOf(trigger.observationId()), "covered", coveredIds, "reason", reason,
                    "rulesFired", alertsOnly.fired(), "rulesVersion", alertsOnly.rulesVersion())));
            outbox.decided(patientId, coveredIds, now, null, settings.quietPeriod());
            return new WorkflowOutcome(null, null, alertsOnly, null, null, List.of(), reason);
        }
        Recommendation rec = proposed.get();
        int from = regimen.get().doseStep();
        ProposedStep step = new ProposedStep(from, from + rec.stepChange(), rec.probability());
        TierDecision decision = rules.evaluate(step, bounds, limits, context);

        String proposalId = UUID.randomUUID().toString();
        store.saveProposal(proposalId, now, trigger.observationId(), rec, decision);
        audit.append(AuditEvent.of(ProposalRecorded.TYPE, ENGINE, patientId,
                ProposalRecorded.of(proposalId, trigger, rec, coveredIds).toDetail()));
        audit.append(AuditEvent.of(TierRecorded.TYPE, RULES, patientId,
                TierRecorded.of(proposalId, decision, bounds, context, limits).toDetail()));

        String taskId = null;
        String adjustmentId = null;
        switch (decision.tier()) {
            case AUTO -> adjustmentId = Delivery.deliver(store, audit, limits, regimen.get(), proposalId, step.toStep(),
                    null, RULES, now, false).id();
            case NEEDS_APPROVAL -> taskId = queue(patientId, proposalId, decision, now);
            case BLOCKED, NO_CHANGE -> {
                // Nothing reaches the patient; BLOCKED carries its alert below.
            }
        }
        OpenTasks.supersede(store, audit, patientId, proposalId, taskId, RULES, now);
        // The alerts the reading alone calls for were raised at ingest; these are the proposal's own.
        Set<String> raisedAtIngest = new HashSet<>();
        rules.evaluate(null, bounds, limits, context).alerts().forEach(a -> raisedAtIngest.add(a.code()));
        List<SafetyAlert> alerts = raise(patientId, proposalId, trigger.observationId(), decision.alerts().stream()
                .filter(a -> !raisedAtIngest.contains(a.code())).toList(), now);
        outbox.decided(patientId, coveredIds, now, trigger.effective(), settings.quietPeriod());
        return new WorkflowOutcome(proposalId, rec, decision, taskId, adjustmentId, alerts, null);
    }

    private SafetyBounds boundsFor(String patientId, Optional<Regimen> regimen) {
        return store.activeBounds(patientId)
                .orElseGet(() -> SafetyBounds.protocolDefault(patientId, regimen
                        .map(r -> Protocols.require(r.protocol())).orElse(ProtocolLimits.HYPERTENSION_ACEI)));
    }

    private ClinicalContext clinical(String patientId, Instant now) {
        return clinicalSources.isResolvable() ? clinicalSources.get().of(patientId, now) : ClinicalContext.UNKNOWN;
    }

    private String queue(String patientId, String proposalId, TierDecision decision, Instant now) {
        String taskId = UUID.randomUUID().toString();
        TaskPriority priority = decision.urgent() ? TaskPriority.STAT
                : decision.alerts().isEmpty() ? TaskPriority.ROUTINE : TaskPriority.URGENT;
        String owner = careTeam.responsiblePractitioner(patientId).orElse(null);
        Instant expires = now.plus(settings.taskLifetime());
        store.saveTask(taskId, proposalId, patientId, priority, owner, now, expires);
        audit.append(AuditEvent.of(AuditEventType.TASK_QUEUED, RULES, patientId, Map.of(
                "task", taskId, "proposal", proposalId, "priority", priority.name(), "owner", String.valueOf(owner),
                "expiresAt", expires.toString())));
        return taskId;
    }

    /**
     * Raises each alert as a DetectedIssue, merging a repeat into the open alert of the same kind
     * raised within the merge window; any alert puts the patient back to approval-only, and a
     * high-severity one makes the patient's open tasks urgent.
     */
    private List<SafetyAlert> raise(String patientId, String proposalId, String triggerObservation,
                                    List<Alert> toRaise, Instant now) {
        List<SafetyAlert> out = new ArrayList<>();
        for (Alert a : toRaise) {
            Optional<SafetyAlert> open = store.openAlertSince(patientId, a.code(), now.minus(settings.alertMergeWindow()));
            SafetyAlert alert;
            if (open.isPresent()) {
                alert = store.repeatAlert(open.get().id(), now);
                audit.append(AuditEvent.of(AuditEventType.ALERT_REPEATED, RULES, patientId, Map.of(
                        "alert", alert.id(), "code", a.code(), "occurrences", alert.occurrences(), "detail", a.detail(),
                        "observation", String.valueOf(triggerObservation), "proposal", String.valueOf(proposalId))));
            } else {
                alert = SafetyAlert.raised(UUID.randomUUID().toString(), patientId, proposalId,
                        String.valueOf(triggerObservation), a, now);
                store.saveAlert(alert);
                audit.append(AuditEvent.of(AuditEventType.ALERT_RAISED, RULES, patientId, Map.of(
                        "alert", alert.id(), "code", a.code(), "severity", a.severity(), "detail", a.detail(),
                        "observation", alert.triggerObservation(), "proposal", String.valueOf(proposalId))));
            }
            if ("high".equals(a.severity())) {
                store.raiseOpenTasks(patientId, TaskPriority.STAT);
            }
            out.add(alert);
        }
        if (!out.isEmpty()) {
            Autonomy.reset(store, audit, patientId, settings.requiredApprovals(), now,
                    "alert " + out.get(0).code() + " raised");
        }
        return out;
    }
}
