package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.recommendation.BloodPressureReading;
import org.clinloop.recommendation.Explanation;
import org.clinloop.recommendation.PatientSignals;
import org.clinloop.recommendation.PatientSnapshot;
import org.clinloop.recommendation.Recommendation;
import org.clinloop.recommendation.Recommender;

/**
 * One accepted reading in, one recorded decision out: propose, decide the tier, then deliver,
 * queue or block, raising alerts whatever the model says. Runs in the caller's transaction, so
 * the reading, the proposal, the decision and its audit entries commit together or not at all.
 */
@ApplicationScoped
public class TitrationWorkflow {

    static final Actor ENGINE = Actor.system("recommendation-engine");
    static final Actor RULES = Actor.system("approval-workflow");

    @Inject
    Recommender recommender;
    @Inject
    SafetyRules rules;
    @Inject
    WorkflowStore store;
    @Inject
    AuditLog audit;
    @Inject
    CareTeam careTeam;
    @Inject
    Clock clock;
    @Inject
    WorkflowSettings settings;
    @Inject
    jakarta.enterprise.inject.Instance<ClinicalContextSource> clinicalSources;

    /**
     * Decides what to do after {@code trigger} was accepted.
     *
     * @param patientId the patient
     * @param history   the patient's recent readings, including {@code trigger}
     * @param trigger   the reading just accepted
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public WorkflowOutcome onReading(String patientId, List<BloodPressureReading> history,
                                     BloodPressureReading trigger) {
        Instant now = clock.instant();
        if (trigger.effective().isBefore(now.minus(settings.decisionHorizon()))) {
            // Neither a proposal nor an alert: an alert is a call to act now, and this reading is history.
            String reason = "reading measured at " + trigger.effective() + ", more than "
                    + settings.decisionHorizon().toHours() + " hours ago: kept as history, too old to act on";
            audit.append(AuditEvent.of(AuditEventType.PROPOSAL_SKIPPED, ENGINE, patientId, Map.of(
                    "observation", String.valueOf(trigger.observationId()), "reason", reason)));
            return new WorkflowOutcome(null, null, null, null, null, List.of(), reason);
        }
        Optional<Regimen> regimen = store.lockRegimen(patientId);
        SafetyBounds bounds = store.activeBounds(patientId)
                .orElseGet(() -> SafetyBounds.protocolDefault(patientId, regimen
                        .map(r -> Protocols.require(r.protocol())).orElse(ProtocolLimits.HYPERTENSION_ACEI)));
        ProtocolLimits limits = Protocols.require(bounds.protocol());

        DecisionContext context = new DecisionContext(trigger, history, store.autonomy(patientId,
                settings.requiredApprovals()), store.autoChanges(patientId, now), clinical(patientId, now), now);
        if (regimen.isEmpty()) {
            return skipped(patientId, trigger, bounds, limits, context, "no current regimen on record for this patient");
        }
        PatientSignals signals = clinicalSources.isResolvable()
                ? clinicalSources.get().signals(patientId, trigger.effective()) : PatientSignals.UNKNOWN;
        PatientSnapshot snapshot = new PatientSnapshot(patientId, trigger.effective(), history,
                regimen.get().doseStep(), limits.ladder().highestStep(), signals,
                Protocols.require(regimen.get().protocol()).drugClass());
        Optional<Recommendation> proposed = recommender.recommend(snapshot);
        if (proposed.isEmpty()) {
            return skipped(patientId, trigger, bounds, limits, context, "no ACTIVE model version");
        }
        Recommendation rec = proposed.get();
        int from = regimen.get().doseStep();
        ProposedStep step = new ProposedStep(from, from + rec.stepChange(), rec.probability());
        TierDecision decision = rules.evaluate(step, bounds, limits, context);

        String proposalId = UUID.randomUUID().toString();
        store.saveProposal(proposalId, now, trigger.observationId(), rec, decision);
        audit.append(AuditEvent.of(AuditEventType.PROPOSAL_MADE, ENGINE, patientId, proposalDetail(proposalId, trigger, rec)));
        audit.append(AuditEvent.of(AuditEventType.TIER_DECIDED, RULES, patientId,
                decisionDetail(proposalId, decision, bounds, context, limits)));

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
        List<SafetyAlert> alerts = raise(patientId, proposalId, trigger, decision, now);
        return new WorkflowOutcome(proposalId, rec, decision, taskId, adjustmentId, alerts, null);
    }

    private ClinicalContext clinical(String patientId, Instant now) {
        return clinicalSources.isResolvable() ? clinicalSources.get().of(patientId, now) : ClinicalContext.UNKNOWN;
    }

    private WorkflowOutcome skipped(String patientId, BloodPressureReading trigger, SafetyBounds bounds,
                                    ProtocolLimits limits, DecisionContext context, String reason) {
        Instant now = context.now();
        TierDecision alertsOnly = rules.evaluate(null, bounds, limits, context);
        audit.append(AuditEvent.of(AuditEventType.PROPOSAL_SKIPPED, ENGINE, patientId, Map.of(
                "observation", String.valueOf(trigger.observationId()), "reason", reason,
                "rulesFired", alertsOnly.fired(), "rulesVersion", alertsOnly.rulesVersion())));
        List<SafetyAlert> alerts = raise(patientId, null, trigger, alertsOnly, now);
        return new WorkflowOutcome(null, null, alertsOnly, null, null, alerts, reason);
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
    private List<SafetyAlert> raise(String patientId, String proposalId, BloodPressureReading trigger,
                                    TierDecision decision, Instant now) {
        List<SafetyAlert> out = new ArrayList<>();
        for (Alert a : decision.alerts()) {
            Optional<SafetyAlert> open = store.openAlertSince(patientId, a.code(), now.minus(settings.alertMergeWindow()));
            SafetyAlert alert;
            if (open.isPresent()) {
                alert = store.repeatAlert(open.get().id(), now);
                audit.append(AuditEvent.of(AuditEventType.ALERT_REPEATED, RULES, patientId, Map.of(
                        "alert", alert.id(), "code", a.code(), "occurrences", alert.occurrences(), "detail", a.detail(),
                        "observation", String.valueOf(trigger.observationId()), "proposal", String.valueOf(proposalId))));
            } else {
                alert = SafetyAlert.raised(UUID.randomUUID().toString(), patientId, proposalId,
                        String.valueOf(trigger.observationId()), a, now);
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

    static Map<String, Object> proposalDetail(String proposalId, BloodPressureReading trigger,
                                                      Recommendation rec) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("proposal", proposalId);
        d.put("observation", String.valueOf(trigger.observationId()));
        d.put("inputHash", rec.inputHash());
        d.put("features", rec.features().values());
        d.put("missingFeatures", List.copyOf(rec.features().missing()));
        d.put("model", Map.of("id", rec.model().id(), "provenanceHash", rec.model().provenanceHash(),
                "algorithm", rec.model().algorithm(), "datasetHash", rec.model().datasetHash()));
        d.put("direction", rec.direction().name());
        d.put("steps", rec.steps());
        d.put("probabilities", rec.probabilities());
        d.put("rationale", rec.rationale());
        if (rec.explanation() != null) {
            Explanation e = rec.explanation();
            Map<String, Object> contributions = new LinkedHashMap<>();
            for (Explanation.Contribution c : e.contributions()) {
                contributions.put(c.feature(), c.contribution());
            }
            d.put("explanation", Map.of("method", e.method().name(), "against", e.against().name(),
                    "intercept", e.intercept(), "margin", e.margin(), "contributions", contributions));
        }
        return d;
    }

    static Map<String, Object> decisionDetail(String proposalId, TierDecision decision, SafetyBounds bounds,
                                              DecisionContext context, ProtocolLimits limits) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("proposal", proposalId);
        d.put("tier", decision.tier().name());
        d.put("fromStep", decision.fromStep());
        d.put("toStep", decision.toStep());
        d.put("rulesFired", decision.fired());
        d.put("alerts", decision.alerts());
        d.put("rulesVersion", decision.rulesVersion());
        d.put("boundsVersion", decision.boundsVersion());
        d.put("bounds", bounds);
        d.put("context", contextDetail(context, limits));
        return d;
    }

    /** What the rules weighed besides the proposal and the bounds, as recorded for replay. */
    static Map<String, Object> contextDetail(DecisionContext c, ProtocolLimits limits) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> readings = new ArrayList<>();
        for (BloodPressureReading r : c.relevantReadings(limits.crisisConfirmation())) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("observation", String.valueOf(r.observationId()));
            rm.put("effective", r.effective().toString());
            rm.put("systolic", r.systolic());
            rm.put("diastolic", r.diastolic());
            readings.add(rm);
        }
        m.put("readings", readings);
        m.put("autonomy", c.autonomy());
        m.put("lastAutoChange", String.valueOf(c.changes().lastAutoChange()));
        m.put("autoChangesLast30Days", c.changes().last30Days());
        Map<String, Object> clinical = new LinkedHashMap<>();
        clinical.put("pregnant", String.valueOf(c.clinical().pregnant()));
        clinical.put("potassium", String.valueOf(c.clinical().potassium()));
        clinical.put("egfrDropPercent", String.valueOf(c.clinical().egfrDropPercent()));
        clinical.put("hypotensionSymptom", String.valueOf(c.clinical().hypotensionSymptom()));
        m.put("clinical", clinical);
        m.put("now", c.now().toString());
        return m;
    }
}
