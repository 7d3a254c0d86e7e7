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

    @Transactional
    public SafetyAlert acknowledge(String alertId, Actor clinician, String note) {
        SafetyAlert before = store.alert(alertId).orElseThrow(() -> new UnknownResourceException("No alert " + alertId + "."));
        Roles.requireClinicianFor(clinician, before.patientId(), careTeam);
        if (!SafetyAlert.OPEN.equals(before.status())) {
            return before;
        }
        SafetyAlert after = store.acknowledgeAlert(alertId, clinician.id(), clock.instant()).orElseThrow();
        audit.append(AuditEvent.of(AuditEventType.ALERT_ACKNOWLEDGED, clinician, after.patientId(), Map.of(
                "alert", alertId, "code", after.code(), "occurrences", after.occurrences(),
                "minutesOpen", java.time.Duration.between(after.createdAt(), after.acknowledgedAt()).toMinutes(),
                "note", String.valueOf(note))));
        return after;
    }
}
