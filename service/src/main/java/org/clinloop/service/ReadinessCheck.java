package org.clinloop.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import org.clinloop.approval.DecisionQueue;
import org.clinloop.approval.DecisionWorker;
import org.clinloop.approval.WorkflowSettings;
import org.clinloop.audit.AuditBacklog;
import org.clinloop.audit.AuditLog;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: up once the schema is migrated and the rules and a model are in place,
 * while the database answers {@code SELECT 1} within {@link DatabaseCheck#TIMEOUT} (down during an
 * outage, up again by itself when it ends: issue 17), and while decisions are being made: a decision due for longer than
 * {@code clinloop.decisions.stall-seconds} means the workers are stalled (down, with the outbox's
 * figures), and so does an audit event committed longer ago than that and not yet chained.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    ServiceReadiness readiness;
    @Inject
    DatabaseCheck database;
    @Inject
    DecisionQueue decisions;
    @Inject
    DecisionWorker worker;
    @Inject
    WorkflowSettings settings;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;

    @Override
    public HealthCheckResponse call() {
        boolean up = readiness.ensureReady();
        var builder = HealthCheckResponse.named("clinloop");
        if (!up) {
            return builder.down().withData("problem", String.valueOf(readiness.problem())).build();
        }
        builder.withData("schema", String.join(",", readiness.schema())).withData("rules", readiness.rulesVersion());
        var unavailable = database.problem();
        builder.withData("database", unavailable.isPresent() ? "unavailable" : "up");
        if (unavailable.isPresent()) {
            return builder.down().withData("problem", "the database is unavailable: " + unavailable.get()).build();
        }
        Instant now = clock.instant();
        DecisionQueue.Depth depth;
        AuditBacklog backlog;
        try {
            depth = decisions.depth();
            backlog = audit.backlog();
        } catch (RuntimeException e) {
            return builder.down().withData("problem", "the outboxes cannot be read: " + e.getMessage()).build();
        }
        builder.withData("auditStagedEvents", backlog.staged());
        // Reported, not DOWN: readings, alerts and the chain go on; only tree-head signatures wait.
        audit.signingRefusal().ifPresent(refusal -> builder.withData("auditSigningRefused", refusal));
        if (backlog.age(now).compareTo(settings.stallAfter()) > 0) {
            return builder.down().withData("problem", "audit chaining stalled: an event staged at " + backlog.oldest()
                    + " is not chained after " + settings.stallAfter().toSeconds() + " s").build();
        }
        boolean stalled = depth.stalled(now, settings.stallAfter());
        builder.withData("decisionsPendingPatients", depth.patientsDue())
                .withData("decisionsOldestPendingSeconds", depth.oldestAge(now).toSeconds());
        if (stalled) {
            builder.withData("problem", "decision workers stalled: a decision has been due since " + depth.oldestDue()
                    + " (more than " + settings.stallAfter().toSeconds() + " s); last failure on this instance: "
                    + worker.lastFailure());
        }
        return builder.status(!stalled).build();
    }
}
