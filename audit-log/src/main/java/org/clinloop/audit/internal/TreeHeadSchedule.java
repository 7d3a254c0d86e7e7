package org.clinloop.audit.internal;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.SigningKeyRefusedException;
import org.clinloop.audit.TimerLeases;
import org.clinloop.audit.outage.OutageLog;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs a tree head every {@code clinloop.audit.sign-every-seconds} (3600; 0 switches it off), so
 * that a signed commitment to the log exists without anyone asking for one: a head is signed only
 * when the log has grown since the last one ({@link AuditLog#treeHead}), and once per period across
 * all instances ({@link TimerLeases}).
 */
@ApplicationScoped
public class TreeHeadSchedule {

    private static final Logger LOG = Logger.getLogger(TreeHeadSchedule.class.getName());

    @Resource
    ManagedScheduledExecutorService executor;
    @Inject
    AuditLog log;
    @Inject
    @ConfigProperty(name = "clinloop.audit.sign-every-seconds", defaultValue = "3600")
    long everySeconds;

    @Inject
    TimerLeases leases;

    private ScheduledFuture<?> timer;
    private volatile boolean stopped;
    private volatile boolean refusalLogged;
    private final OutageLog outages = new OutageLog(LOG, "Tree-head schedule");

    synchronized void start() {
        if (timer != null || stopped || executor == null) {
            return;
        }
        if (everySeconds <= 0) {
            LOG.warning("clinloop.audit.sign-every-seconds is " + everySeconds + ": tree heads are signed only on request");
            return;
        }
        timer = executor.scheduleWithFixedDelay(this::sign, everySeconds, everySeconds, TimeUnit.SECONDS);
        LOG.info(() -> "Tree heads are signed every " + everySeconds + " s while the log grows");
    }

    private void sign() {
        try {
            if (!leases.claim("tree-head-signing", java.time.Duration.ofSeconds(everySeconds))) {
                return; // another instance signed this period
            }
            log.treeHead();
            refusalLogged = false;
            outages.succeeded();
        } catch (SigningKeyRefusedException e) {
            if (!refusalLogged) { // the signer logged it as SEVERE at start; once per refusal here
                LOG.warning("No periodic tree head: " + e.getMessage());
                refusalLogged = true;
            }
        } catch (RuntimeException e) {
            outages.failed(e, Level.WARNING, "the periodic tree head could not be signed; the next period tries again");
        }
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
