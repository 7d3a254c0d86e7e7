package org.clinloop.approval;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.outage.OutageLog;

/**
 * Drains the {@link DecisionQueue}: up to {@code clinloop.decisions.workers} loops per service
 * instance, each deciding one due patient per transaction ({@link TitrationWorkflow#decideNextDue})
 * until none is due. Once {@link #start() started}, a loop starts on a timer ({@code clinloop.decisions.poll-millis}) and when a
 * reading's commit {@linkplain #nudge() nudges} it. Several instances share the outbox through
 * {@code FOR UPDATE SKIP LOCKED}; a crash leaves a patient either decided (committed) or still
 * pending (rolled back), never half-decided. A database outage ends a loop like any failure; the
 * timer starts loops again, and the first to find the database back resumes the draining (the
 * outage is logged once, when it starts and when it ends).
 */
@ApplicationScoped
public class DecisionWorker {

    private static final Logger LOG = Logger.getLogger(DecisionWorker.class.getName());

    @Resource
    ManagedScheduledExecutorService executor;
    @Inject
    TitrationWorkflow workflow;
    @Inject
    WorkflowSettings settings;

    private final OutageLog outages = new OutageLog(LOG, "Decision worker");
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong decided = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private volatile boolean stopped;
    private ScheduledFuture<?> timer;

    /**
     * Starts the timer once the schema is migrated (the service's readiness calls this); calling it
     * again does nothing.
     */
    public synchronized void start() {
        if (timer != null || stopped) {
            return;
        }
        if (settings.workers() > 0) {
            long millis = settings.pollInterval().toMillis();
            timer = executor.scheduleWithFixedDelay(this::nudge, millis, millis, TimeUnit.MILLISECONDS);
            LOG.info(() -> "Decision workers: " + settings.workers() + ", polling every " + millis + " ms, quiet period "
                    + settings.quietPeriod().toMinutes() + " min");
        } else {
            LOG.warning("clinloop.decisions.workers is 0: this instance accepts readings but decides none");
        }
    }

    /** Starts a draining loop unless every worker is already busy (a busy loop will find the work). */
    public void nudge() {
        if (stopped || settings.workers() <= 0) {
            return;
        }
        if (running.incrementAndGet() > settings.workers()) {
            running.decrementAndGet();
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RuntimeException e) {
            running.decrementAndGet(); // the executor is shutting down; the timer or a restart picks it up
        }
    }

    private void drain() {
        try {
            while (!stopped) {
                Optional<WorkflowOutcome> outcome = workflow.decideNextDue();
                outages.succeeded();
                if (outcome.isEmpty()) {
                    return;
                }
                decided.incrementAndGet();
            }
        } catch (RuntimeException e) {
            // The patient's transaction rolled back: its readings stay pending and are decided again.
            failures.incrementAndGet();
            lastFailure.set(e.toString());
            outages.failed(e, Level.WARNING, "a decision failed and was rolled back; the patient stays queued");
        } finally {
            running.decrementAndGet();
        }
    }

    /** Decisions this instance made since it started. */
    public long decided() {
        return decided.get();
    }

    /** Decisions this instance attempted that failed and rolled back. */
    public long failures() {
        return failures.get();
    }

    /** The last failure's message, or null. */
    public String lastFailure() {
        return lastFailure.get();
    }

    @PreDestroy
    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
