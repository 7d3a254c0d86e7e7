package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;

/** Delivered dose changes as the patient's app (and their clinician) sees them. */
@ApplicationScoped
public class Deliveries {

    @Inject
    WorkflowStore store;
    @Inject
    AuditLog audit;
    @Inject
    CareTeam careTeam;
    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DoseAdjustment> forPatient(String patientId, Actor actor, int limit) {
        requireOrderReader(actor, patientId);
        return store.adjustmentsFor(patientId, Math.max(1, Math.min(limit, 500)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SafetyAlert> alertsFor(String patientId, Actor actor, int limit) {
        Roles.requireReaderOf(actor, patientId, careTeam);
        return store.alertsFor(patientId, Math.max(1, Math.min(limit, 500)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public DoseAdjustment adjustment(String adjustmentId, Actor actor) {
        String notFound = "No adjustment " + adjustmentId + ".";
        DoseAdjustment a = store.adjustment(adjustmentId).orElseThrow(() -> new UnknownResourceException(notFound));
        UnknownResourceException.unlessReadable(a.patientId(), () -> requireOrderReader(actor, a.patientId()), notFound);
        return a;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public SafetyAlert alert(String alertId, Actor actor) {
        String notFound = "No alert " + alertId + ".";
        SafetyAlert a = store.alert(alertId).orElseThrow(() -> new UnknownResourceException(notFound));
        UnknownResourceException.unlessReadable(a.patientId(),
                () -> Roles.requireReaderOf(actor, a.patientId(), careTeam), notFound);
        return a;
    }

    /** The patient's app confirms it showed the change; idempotent. */
    @Transactional
    public DoseAdjustment acknowledge(String adjustmentId, Actor patient) {
        DoseAdjustment a = store.adjustment(adjustmentId)
                .orElseThrow(() -> new UnknownResourceException("No adjustment " + adjustmentId + "."));
        if (!patient.hasRole(Roles.PATIENT) || !a.patientId().equals(patient.patientId())) {
            throw new AccessRefusedException(patient.id() + " may not acknowledge adjustments of patient " + a.patientId() + ".");
        }
        if (store.acknowledge(adjustmentId, clock.instant())) {
            audit.append(AuditEvent.of(AuditEventType.ADJUSTMENT_ACKNOWLEDGED, patient, a.patientId(),
                    Map.of("adjustment", adjustmentId)));
        }
        return store.adjustment(adjustmentId).orElseThrow();
    }

    /**
     * Dose changes are orders: besides those who may read the patient's record, the EHR reads
     * them, to keep the medication list it shows everyone else true.
     */
    private void requireOrderReader(Actor actor, String patientId) {
        if (!actor.hasRole(Roles.EHR_SYSTEM)) {
            Roles.requireReaderOf(actor, patientId, careTeam);
        }
    }
}
