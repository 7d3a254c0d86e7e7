package org.clinloop.approval;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.TimerLeases;
import org.clinloop.audit.outage.OutageLog;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the {@link WorkflowSweeps} every {@code clinloop.sweeps.interval-seconds} (60 by default; 0
 * switches off), once per period across all instances ({@link TimerLeases}): two instances never
 * expire, escalate or alert the same thing twice. A failed sweep, a database outage included, is
 * tried again at the next tick; an outage is logged once.
 */
@ApplicationScoped
public class WorkflowTimers {

    private static final Logger LOG = Logger.getLogger(WorkflowTimers.class.getName());

    @Resource
    ManagedScheduledExecutorService executor;
    @Inject
    WorkflowSweeps sweeps;
    @Inject
    TimerLeases leases;
    @Inject
    TitrationWorkflow workflow;
    @Inject
    @ConfigProperty(name = "clinloop.sweeps.interval-seconds", defaultValue = "60")
    int seconds;

    private final OutageLog outages = new OutageLog(LOG, "Workflow sweeps");
    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (seconds > 0) {
            task = executor.scheduleWithFixedDelay(this::sweep, seconds, seconds, TimeUnit.SECONDS);
        }
    }

    void sweep() {
        try {
            if (!leases.claim("workflow-sweeps", Duration.ofSeconds(seconds))) {
                return; // another instance swept this period
            }
            int expired = sweeps.expireTasks();
            int escalated = sweeps.escalateAlerts();
            int flagged = sweeps.flagUnacknowledgedDeliveries();
            int unconfirmed = workflow.alertUnconfirmedCrises();
            outages.succeeded();
            if (expired + escalated + flagged + unconfirmed > 0) {
                LOG.info(() -> "Sweeps: " + expired + " task(s) expired, " + escalated + " alert(s) escalated, "
                        + flagged + " delivery(ies) flagged, " + unconfirmed + " unconfirmed crisis(es) alerted");
            }
        } catch (RuntimeException e) {
            outages.failed(e, Level.WARNING, "a sweep failed; it runs again in " + seconds + " s");
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
