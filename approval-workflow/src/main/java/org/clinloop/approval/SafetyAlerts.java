package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Map;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.CallerText;

/** Alerts as a clinician works them: acknowledged by a named clinician of the patient's care team. */
@ApplicationScoped
public class SafetyAlerts {

    @Inject
    WorkflowStore store;
    @Inject
    AuditLog audit;
    @Inject
    CareTeam careTeam;
    @Inject
    Clock clock;

    /**
     * Open alerts of the clinician's panel, high severity and escalated first: every open alert of
     * every patient on it (one query for the panel, one for its alerts), however many others exist.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.List<SafetyAlert> openForClinician(Actor clinician) {
        if (!clinician.hasRole(Roles.CLINICIAN) || clinician.practitionerId() == null) {
            throw new AccessRefusedException("Expected a clinician with a practitioner id, found " + clinician.id() + ".");
        }
        java.util.List<String> panel = careTeam.panelOf(clinician.practitionerId(), Panel.MAX_PATIENTS).stream()
                .map(CareTeam.Member::patientId).toList();
        return store.openAlertsOf(panel).stream()
                .sorted(java.util.Comparator.comparing((SafetyAlert a) -> !"high".equals(a.severity()))
                        .thenComparing(a -> a.escalatedAt() == null)
                        .thenComparing(SafetyAlert::createdAt, java.util.Comparator.reverseOrder()))
                .toList();
    }

    @Transactional
    public SafetyAlert acknowledge(String alertId, Actor clinician, String note) {
        String notFound = "No alert " + alertId + ".";
        SafetyAlert before = store.alert(alertId).orElseThrow(() -> new UnknownResourceException(notFound));
        UnknownResourceException.unlessReadable(before.patientId(),
                () -> Roles.requireClinicianFor(clinician, before.patientId(), careTeam),
                notFound);
        if (!SafetyAlert.OPEN.equals(before.status())) {
            return before;
        }
        SafetyAlert after = store.acknowledgeAlert(alertId, clinician.id(), clock.instant()).orElseThrow();
        audit.append(AuditEvent.of(AuditEventType.ALERT_ACKNOWLEDGED, clinician, after.patientId(), Map.of(
                "alert", alertId, "code", after.code(), "occurrences", after.occurrences(),
                "minutesOpen", java.time.Duration.between(after.createdAt(), after.acknowledgedAt()).toMinutes(),
                "note", CallerText.capped(String.valueOf(note)))));
        return after;
    }
}
