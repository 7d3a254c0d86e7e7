package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;

/**
 * What happens when time passes: tasks nobody decided expire, high-severity alerts nobody
 * acknowledged escalate, deliveries the app did not acknowledge are flagged. Each sweep is one
 * transaction; {@link WorkflowTimers} runs them every minute.
 */
@ApplicationScoped
public class WorkflowSweeps {

    static final Actor SWEEP = Actor.system("approval-workflow");
    static final int BATCH = 200;

    @Inject
    WorkflowStore store;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;
    @Inject
    WorkflowSettings settings;

    @Transactional
    public int expireTasks() {
        Instant now = clock.instant();
        int n = 0;
        for (String id : store.expiredTasks(now, BATCH)) {
            var task = store.lockTask(id).orElseThrow();
            if (task.status() != TaskStatus.REQUESTED) {
                continue;
            }
            store.decide(id, TaskStatus.EXPIRED, SWEEP.id(), now, null, "nobody decided before " + task.expiresAt());
            audit.append(AuditEvent.of(AuditEventType.TASK_EXPIRED, SWEEP, task.patientId(), Map.of(
                    "task", id, "proposal", task.proposalId(), "expiresAt", String.valueOf(task.expiresAt()))));
            n++;
        }
        return n;
    }

    @Transactional
    public int escalateAlerts() {
        Instant now = clock.instant();
        int n = 0;
        for (SafetyAlert a : store.alertsToEscalate(now.minus(settings.escalateAfter()), BATCH)) {
            store.markEscalated(a.id(), now);
            store.raiseOpenTasks(a.patientId(), TaskPriority.STAT);
            audit.append(AuditEvent.of(AuditEventType.ALERT_ESCALATED, SWEEP, a.patientId(), Map.of(
                    "alert", a.id(), "code", a.code(), "openSince", a.createdAt().toString(),
                    "escalateAfterMinutes", settings.escalateAfter().toMinutes())));
            n++;
        }
        return n;
    }

    @Transactional
    public int flagUnacknowledgedDeliveries() {
        Instant now = clock.instant();
        int n = 0;
        for (DoseAdjustment a : store.unacknowledged(now.minus(settings.acknowledgeWithin()), BATCH)) {
            store.flagDelivery(a.id(), now);
            audit.append(AuditEvent.of(AuditEventType.DELIVERY_UNACKNOWLEDGED, SWEEP, a.patientId(), Map.of(
                    "adjustment", a.id(), "deliveredAt", a.createdAt().toString(),
                    "acknowledgeWithinHours", settings.acknowledgeWithin().toHours())));
            n++;
        }
        return n;
    }
}
