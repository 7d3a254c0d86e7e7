package org.clinloop.audit.internal;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.outage.OutageLog;

/**
 * Chains staged events into the log. One loop per service instance, woken when a transaction that
 * staged events commits, and by a timer (events staged by another instance, or left by a crash).
 * Instances need no leader: every batch locks the head row first, so batches from different loops
 * run one after another and each staged event is chained once. A database outage rolls a batch
 * back like any failure; the timer keeps trying, the outage is logged once, and chaining resumes
 * by itself when the database answers.
 */
@ApplicationScoped
public class AuditSequencer {

    static final int BATCH = 500;
    static final long POLL_MILLIS = 1000;
    private static final Logger LOG = Logger.getLogger(AuditSequencer.class.getName());

    @Resource
    ManagedScheduledExecutorService executor;
    @Inject
    AuditStore store;

    private final OutageLog outages = new OutageLog(LOG, "Audit sequencer");
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();
    private volatile boolean stopped;
    private ScheduledFuture<?> timer;

    /** Starts the timer once the schema exists; calling it again does nothing. */
    public synchronized void start() {
        if (timer == null && !stopped && executor != null) {
            timer = executor.scheduleWithFixedDelay(this::nudge, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Asks the loop to chain what has been staged; returns at once. */
    public void nudge() {
        if (stopped || executor == null) {
            return;
        }
        wanted.set(true);
        if (!running.compareAndSet(false, true)) {
            return; // the running loop will see the request
        }
        try {
            executor.execute(this::loop);
        } catch (RuntimeException e) {
            running.set(false); // shutting down: the next start chains what is left
        }
    }

    private void loop() {
        try {
            while (!stopped && wanted.getAndSet(false)) {
                drain();
                outages.succeeded();
            }
        } catch (RuntimeException e) {
            outages.failed(e, Level.WARNING, "chaining staged audit events failed and was rolled back; they stay staged");
        } finally {
            running.set(false);
            if (wanted.get() && !stopped) {
                nudge(); // a request that came in while this loop was finishing
            }
        }
    }

    /** Chains every event staged and committed so far, in this thread; returns how many. */
    public long drain() {
        long total = 0;
        int n;
        do {
            n = store.chainStaged(BATCH);
            total += n;
        } while (n == BATCH && !stopped);
        return total;
    }

    @PreDestroy
    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
