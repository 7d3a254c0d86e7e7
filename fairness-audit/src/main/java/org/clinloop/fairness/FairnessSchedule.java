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
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.Actor;
import org.clinloop.audit.TimerLeases;
import org.clinloop.audit.outage.OutageLog;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the model and human-loop audits on a schedule ({@code clinloop.fairness.schedule-hours},
 * 0 to switch off) over the last {@code clinloop.fairness.window-days}. A report the database's
 * outage stopped is tried again every {@value #RETRY_SECONDS} s until the database answers (logged
 * once), rather than skipped until the next period.
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

    static final int RETRY_SECONDS = 60;
    private final OutageLog outages = new OutageLog(LOG, "Fairness schedule");
    private final AtomicBoolean retryPending = new AtomicBoolean();
    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (hours > 0) {
            task = executor.scheduleAtFixedRate(this::runAll, hours, hours, TimeUnit.HOURS);
            LOG.info(() -> "Fairness reports every " + hours + " h over the last " + days + " days");
        }
    }

    /**
     * Claims this period's reports for this instance (once across instances), then runs them; the
     * claiming instance retries what an outage cut short.
     */
    void runAll() {
        boolean mine;
        try {
            mine = leases.claim("fairness-reports", Duration.ofHours(hours));
        } catch (RuntimeException e) {
            if (outages.failed(e, Level.SEVERE, "the fairness schedule could not claim its period")) {
                retry(this::runAll);
            }
            return;
        }
        if (mine) {
            run(List.of(ReportKind.MODEL, ReportKind.HUMAN_LOOP));
        }
    }

    private void retry(Runnable again) {
        if (retryPending.compareAndSet(false, true)) {
            try {
                executor.schedule(() -> {
                    retryPending.set(false);
                    again.run();
                }, RETRY_SECONDS, TimeUnit.SECONDS);
            } catch (RuntimeException shuttingDown) {
                retryPending.set(false);
            }
        }
    }

    private void run(List<ReportKind> kinds) {
        Instant to = Instant.now();
        List<ReportKind> unreachable = new java.util.ArrayList<>();
        for (ReportKind kind : kinds) {
            try {
                StoredReport r = reports.run(kind, to.minus(Duration.ofDays(days)), to, SCHEDULE);
                outages.succeeded();
                LOG.info(() -> "Scheduled fairness report " + kind + " v" + r.version() + " stored as " + r.id());
            } catch (RuntimeException e) {
                if (outages.failed(e, Level.SEVERE, "scheduled fairness report " + kind + " failed")) {
                    unreachable.add(kind);
                }
            }
        }
        if (!unreachable.isEmpty()) {
            retry(() -> run(unreachable));
        }
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
