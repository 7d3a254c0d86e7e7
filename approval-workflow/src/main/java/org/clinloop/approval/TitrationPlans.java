package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.CallerText;

/** Clinician authoring of safety bounds and regimens: versioned, signed, audited, never edited in place. */
@ApplicationScoped
public class TitrationPlans {

    @Inject
    WorkflowStore store;
    @Inject
    AuditLog audit;
    @Inject
    CareTeam careTeam;
    @Inject
    Clock clock;
    @Inject
    jakarta.enterprise.inject.Instance<ReadingHistory> readings;

    /**
     * Signs a new bounds version, not yet active; refused when outside the protocol's hard limits.
     * Bounds are never edited in place: each change is a new signed version.
     */
    @Transactional
    public SafetyBounds signBounds(String patientId, BoundsDraft draft, Actor clinician) {
        Roles.requireClinicianFor(clinician, patientId, careTeam);
        ProtocolLimits limits = Protocols.require(draft.protocol());
        Instant now = clock.instant();
        SafetyBounds bounds = new SafetyBounds(patientId, store.nextBoundsVersion(patientId), draft.protocol(),
                draft.lowestStep(), draft.highestStep(), draft.maxAutoSteps(), draft.systolicFloor(),
                draft.minConfidence(), draft.autonomyEnabled(), draft.minDaysBetweenAutoChanges(),
                draft.maxAutoChangesPer30Days(), clinician.id(), now);
        List<String> violations = limits.violations(bounds);
        if (!violations.isEmpty()) {
            throw new BoundsRefusedException(violations);
        }
        store.saveDraft(bounds);
        audit.append(AuditEvent.of(AuditEventType.BOUNDS_SIGNED, clinician, patientId, Map.of("bounds", bounds)));
        return bounds;
    }

    /** Makes a signed version the patient's active bounds (the previous one is superseded). */
    @Transactional
    public SafetyBounds activateBounds(String patientId, int version, Actor clinician) {
        Roles.requireClinicianFor(clinician, patientId, careTeam);
        if (store.wasActivated(patientId, version)) {
            throw new BoundsRefusedException(List.of("expected a signed version never active before, found v" + version
                    + " already activated once: sign a new version instead"));
        }
        SafetyBounds active = store.activate(patientId, version, clinician.id(), clock.instant())
                .orElseThrow(() -> new UnknownResourceException("No bounds v" + version + " of patient " + patientId + "."));
        audit.append(AuditEvent.of(AuditEventType.BOUNDS_ACTIVATED, clinician, patientId, Map.of(
                "version", version, "bounds", active)));
        return active;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SafetyBounds> boundsHistory(String patientId, Actor actor) {
        Roles.requireReaderOf(actor, patientId, careTeam);
        return store.boundsHistory(patientId);
    }

    /** Sets the blood-pressure goal agreed with the patient. */
    @Transactional
    public CareGoal setGoal(String patientId, double systolicTarget, double diastolicTarget, Actor clinician) {
        Roles.requireClinicianFor(clinician, patientId, careTeam);
        if (systolicTarget < 100 || systolicTarget > 160 || diastolicTarget < 60 || diastolicTarget > 100
                || diastolicTarget >= systolicTarget) {
            throw new BoundsRefusedException(List.of("expected a target of 100-160 / 60-100 mm[Hg] with diastolic below "
                    + "systolic, found " + systolicTarget + "/" + diastolicTarget));
        }
        CareGoal goal = new CareGoal(patientId, systolicTarget, diastolicTarget, clinician.id(), clock.instant());
        store.saveGoal(goal);
        audit.append(AuditEvent.of(AuditEventType.GOAL_SET, clinician, patientId, Map.of("goal", goal)));
        return goal;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public CareGoal goal(String patientId, Actor actor) {
        Roles.requireReaderOf(actor, patientId, careTeam);
        return store.goal(patientId).orElseGet(() -> CareGoal.protocolDefault(patientId));
    }

    /** When to see the patient next, from stability against their goal. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public FollowUp followUp(String patientId, Actor actor) {
        Roles.requireReaderOf(actor, patientId, careTeam);
        Instant now = clock.instant();
        CareGoal goal = store.goal(patientId).orElseGet(() -> CareGoal.protocolDefault(patientId));
        return followUp(patientId, goal, followUpHistory(patientId, now), now);
    }

    /** The readings a follow-up is weighed on: the last 35 days (the panel shows them too). */
    List<org.clinloop.recommendation.BloodPressureReading> followUpHistory(String patientId, Instant now) {
        return readings.isResolvable()
                ? readings.get().between(patientId, now.minus(java.time.Duration.ofDays(35)), now)
                : List.of();
    }

    /** The follow-up suggested from those readings and the alerts of the last 14 days. */
    FollowUp followUp(String patientId, CareGoal goal, List<org.clinloop.recommendation.BloodPressureReading> history,
                      Instant now) {
        return FollowUp.suggest(goal, history, store.alertsSince(patientId, now.minus(java.time.Duration.ofDays(14))), now);
    }

    /** Records what the patient takes now (e.g. from the EHR's current prescription). */
    @Transactional
    public Regimen setRegimen(String patientId, String protocol, int doseStep, Actor clinician) {
        Roles.requireClinicianFor(clinician, patientId, careTeam);
        ProtocolLimits limits = Protocols.require(protocol);
        if (!limits.allows(doseStep)) {
            throw new BoundsRefusedException(List.of("expected a dose step 0.." + limits.ladder().highestStep()
                    + " of " + limits.protocol() + ", found " + doseStep));
        }
        Regimen regimen = new Regimen(patientId, protocol, doseStep, clock.instant(), clinician.id());
        store.saveRegimen(regimen);
        audit.append(AuditEvent.of(AuditEventType.REGIMEN_SET, clinician, patientId, Map.of(
                "protocol", protocol, "doseStep", doseStep, "dose", limits.ladder().describe(doseStep))));
        OpenTasks.cancelStale(store, audit, patientId, doseStep, clinician, regimen.since());
        return regimen;
    }

    /**
     * Records what the EHR says the patient was prescribed, as their regimen, unless ClinLoop's
     * record is as new or newer (an order authored before ClinLoop's last change to the dose must
     * not undo that change). Only EHR systems (and ClinLoop itself) record prescriptions.
     *
     * @param authoredOn when the prescriber signed the order; it becomes the regimen's start
     * @param order      the stored order's id, for the audit trail
     * @param prescriber who signed it, as the EHR named them
     * @return the regimen now on record, or empty when the record was left as it was
     */
    @Transactional
    public Optional<Regimen> recordPrescription(String patientId, String protocol, int doseStep, Instant authoredOn,
                                                String order, String prescriber, Actor ehr) {
        if (!ehr.hasRole(Roles.EHR_SYSTEM) && !ehr.hasRole(Actor.SYSTEM_ROLE)) {
            throw new AccessRefusedException("Expected an EHR system to record prescriptions, found " + ehr.id() + ".");
        }
        ProtocolLimits limits = Protocols.require(protocol);
        if (!limits.allows(doseStep)) {
            throw new BoundsRefusedException(List.of("expected a dose step 0.." + limits.ladder().highestStep()
                    + " of " + limits.protocol() + ", found " + doseStep));
        }
        Optional<Regimen> current = store.lockRegimen(patientId);
        if (current.isPresent() && (!current.get().since().isBefore(authoredOn)
                || current.get().protocol().equals(protocol) && current.get().doseStep() == doseStep)) {
            return Optional.empty();
        }
        Regimen regimen = new Regimen(patientId, protocol, doseStep, authoredOn, prescriber);
        store.saveRegimen(regimen);
        audit.append(AuditEvent.of(AuditEventType.REGIMEN_SET, ehr, patientId, Map.of(
                "protocol", protocol, "doseStep", doseStep, "dose", limits.ladder().describe(doseStep),
                "source", "MedicationRequest/" + order, "prescriber", CallerText.capped(prescriber), "authoredOn", authoredOn.toString(),
                "replaced", current.map(r -> r.protocol() + " step " + r.doseStep() + " since " + r.since())
                        .orElse("none"))));
        OpenTasks.cancelStale(store, audit, patientId, doseStep, ehr, clock.instant());
        return Optional.of(regimen);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<SafetyBounds> activeBounds(String patientId, Actor actor) {
        Roles.requireReaderOf(actor, patientId, careTeam);
        return store.activeBounds(patientId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Regimen> regimen(String patientId, Actor actor) {
        Roles.requireReaderOf(actor, patientId, careTeam);
        return store.regimen(patientId);
    }
}
