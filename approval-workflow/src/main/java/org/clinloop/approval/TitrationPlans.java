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

    /** Signs a new bounds version and activates it; refused when outside the protocol's hard limits. */
    @Transactional
    public SafetyBounds activateBounds(String patientId, BoundsDraft draft, Actor clinician) {
        Roles.requireClinicianFor(clinician, patientId, careTeam);
        ProtocolLimits limits = Protocols.require(draft.protocol());
        Instant now = clock.instant();
        SafetyBounds bounds = new SafetyBounds(patientId, store.nextBoundsVersion(patientId), draft.protocol(),
                draft.lowestStep(), draft.highestStep(), draft.maxAutoSteps(), draft.systolicFloor(),
                draft.minConfidence(), draft.autonomyEnabled(), clinician.id(), now);
        List<String> violations = limits.violations(bounds);
        if (!violations.isEmpty()) {
            throw new BoundsRefusedException(violations);
        }
        store.activate(bounds);
        audit.append(AuditEvent.of(AuditEventType.BOUNDS_ACTIVATED, clinician, patientId, Map.of("bounds", bounds)));
        return bounds;
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
        return regimen;
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
