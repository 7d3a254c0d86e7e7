package org.clinloop.recommendation;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.Actor;
import org.clinloop.audit.TimerLeases;
import org.clinloop.audit.outage.OutageLog;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Watches the ACTIVE model's drift without anyone asking: every {@code clinloop.drift.check-minutes}
 * (0 switches it off) a check over the last {@code clinloop.drift.window-days} runs, so crossing
 * the alert threshold raises the steward's governance alert on its own. The latest check (the
 * schedule's or an API call's) is published as MicroProfile metrics on {@code /metrics}:
 * {@code clinloop_drift_psi{feature=…}} per input feature and for the output ({@code direction}),
 * {@code clinloop_drift_status} (0 OK, 1 WARN, 2 ALERT, -1 no check yet or too few proposals)
 * and {@code clinloop_drift_proposals} (live proposals in the window). Nothing here retrains or
 * promotes. A check the database's outage stopped is tried again every {@value #RETRY_SECONDS} s
 * until the database answers (logged once), rather than skipped until the next period.
 */
@ApplicationScoped
public class DriftSchedule {

    private static final Logger LOG = Logger.getLogger(DriftSchedule.class.getName());
    static final Actor SCHEDULE = Actor.system("drift-schedule");
    private static final String PSI = "PSI of the ACTIVE model, live against its training reference, of an input"
            + " feature, of the proposed directions (feature=\"" + Drift.OUTPUT + "\") or of the proposed step sizes"
            + " (feature=\"" + Drift.STEPS + "\")";

    @Resource
    ManagedScheduledExecutorService executor;
    @Inject
    DriftMonitor monitor;
    @Inject
    ModelRegistry registry;
    @Inject
    MetricRegistry metrics;
    @Inject
    @ConfigProperty(name = "clinloop.drift.check-minutes", defaultValue = "60")
    int minutes;
    @Inject
    @ConfigProperty(name = "clinloop.drift.window-days", defaultValue = "7")
    int days;

    @Inject
    TimerLeases leases;

    static final int RETRY_SECONDS = 30;
    private final OutageLog outages = new OutageLog(LOG, "Drift schedule");
    private final AtomicBoolean retryPending = new AtomicBoolean();
    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        for (String feature : FeatureExtractor.FEATURE_NAMES) {
            gauge("clinloop_drift_psi", PSI,
                    s -> psi(s, feature), Double.NaN, new Tag("feature", feature));
        }
        gauge("clinloop_drift_psi", PSI,
                s -> s.output() == null ? Double.NaN : s.output().psi(), Double.NaN, new Tag("feature", Drift.OUTPUT));
        gauge("clinloop_drift_psi", PSI,
                s -> s.steps() == null ? Double.NaN : s.steps().psi(), Double.NaN, new Tag("feature", Drift.STEPS));
        gauge("clinloop_drift_status", "Drift of the ACTIVE model: 0 OK, 1 WARN, 2 ALERT, -1 unknown",
                s -> s.enoughData() ? s.status().ordinal() : -1, -1);
        gauge("clinloop_drift_proposals", "Live proposals of the ACTIVE model in the drift window",
                s -> s.currentSize(), 0);
        if (minutes > 0) {
            task = executor.scheduleAtFixedRate(this::checkActive, minutes, minutes, TimeUnit.MINUTES);
            LOG.info(() -> "Drift of the ACTIVE model checked every " + minutes + " min over the last " + days + " days");
        }
    }

    void checkActive() {
        check(Duration.ofMinutes(minutes));
    }

    /**
     * Claims the period (a retry claims only its own shorter one, so that a check a failure cut
     * short runs again on one instance), then checks.
     */
    private void check(Duration period) {
        try {
            if (!leases.claim("drift-check", period)) {
                return; // another instance checked this period (the gauges read the stored result)
            }
            registry.active().ifPresent(m -> {
                DriftMonitor.DriftStatus s = monitor.check(m.version().id(), Duration.ofDays(days), SCHEDULE);
                if (s.status() != DriftReport.Status.OK) {
                    LOG.warning(() -> "Drift of " + s.model() + ": " + s.status() + (s.alertRaised() ? ", alert raised" : ""));
                }
            });
            outages.succeeded();
        } catch (RuntimeException e) {
            if (outages.failed(e, Level.SEVERE, "scheduled drift check failed") && retryPending.compareAndSet(false, true)) {
                try {
                    executor.schedule(() -> {
                        retryPending.set(false);
                        check(Duration.ofSeconds(RETRY_SECONDS));
                    }, RETRY_SECONDS, TimeUnit.SECONDS);
                } catch (RuntimeException shuttingDown) {
                    retryPending.set(false);
                }
            }
        }
    }

    private void gauge(String name, String description, ToDoubleFunction<DriftMonitor.DriftStatus> value,
                       double none, Tag... tags) {
        metrics.gauge(Metadata.builder().withName(name).withDescription(description).build(), this,
                self -> self.current().map(value::applyAsDouble).orElse(none), tags);
    }

    private Optional<DriftMonitor.DriftStatus> current() {
        return registry.active().flatMap(m -> monitor.latest(m.version().id()));
    }

    private static double psi(DriftMonitor.DriftStatus s, String feature) {
        return s.features().stream().filter(r -> r.feature().equals(feature)).mapToDouble(DriftReport::psi)
                .findFirst().orElse(Double.NaN);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
