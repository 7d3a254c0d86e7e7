package org.clinloop.fairness;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.Actor;
import org.clinloop.audit.TimerLeases;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the model and human-loop audits on a schedule ({@code clinloop.fairness.schedule-hours},
 * 0 to switch off) over the last {@code clinloop.fairness.window-days}.
 */
@ApplicationScoped
public class FairnessSchedule {

    private static final Logger LOG = Logger.getLogger(FairnessSchedule.class.getName());
    static final Actor SCHEDULE = Actor.system("fairness-schedule");

    @Resource
    ManagedScheduledExecutorService executor;
    @Inject
    FairnessReports reports;
    @Inject
    @ConfigProperty(name = "clinloop.fairness.schedule-hours", defaultValue = "24")
    int hours;
    @Inject
    @ConfigProperty(name = "clinloop.fairness.window-days", defaultValue = "90")
    int days;

    @Inject
    TimerLeases leases;

    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (hours > 0) {
            task = executor.scheduleAtFixedRate(this::runAll, hours, hours, TimeUnit.HOURS);
            LOG.info(() -> "Fairness reports every " + hours + " h over the last " + days + " days");
        }
    }

    void runAll() {
        if (!leases.claim("fairness-reports", Duration.ofHours(hours))) {
            return; // another instance ran this period's reports
        }
        Instant to = Instant.now();
        for (ReportKind kind : new ReportKind[] {ReportKind.MODEL, ReportKind.HUMAN_LOOP}) {
            try {
                StoredReport r = reports.run(kind, to.minus(Duration.ofDays(days)), to, SCHEDULE);
                LOG.info(() -> "Scheduled fairness report " + kind + " v" + r.version() + " stored as " + r.id());
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Scheduled fairness report " + kind + " failed", e);
            }
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
