package org.clinloop.audit.outage;

import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log of one loop or edge that meets database outages: an outage is logged once when it is
 * first met and once when the database answers again (with how long and how many attempts failed),
 * not once per tick or request; any other failure is logged every time, with its stack, because it
 * is a fault. Thread-safe.
 */
public final class OutageLog {

    private final Logger log;
    private final String what;
    private Instant since;
    private long failures;

    /** @param what the loop or edge, as the log lines name it (e.g. "Decision worker") */
    public OutageLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /**
     * Notes a failure. Returns true when it was a database outage (logged only if it starts one);
     * anything else is logged at {@code level} with {@code message} and its stack, and returns false.
     */
    public boolean failed(Throwable e, Level level, String message) {
        if (outage(e)) {
            return true;
        }
        log.log(level, what + ": " + message, e);
        return false;
    }

    /**
     * Returns true, and logs it if it starts an outage, when {@code e} says the database cannot be
     * reached; returns false and logs nothing otherwise (the caller handles the fault).
     */
    public boolean outage(Throwable e) {
        if (!DatabaseUnavailable.in(e)) {
            return false;
        }
        boolean first;
        synchronized (this) {
            failures++;
            first = since == null;
            if (first) {
                since = Instant.now();
            }
        }
        if (first) {
            log.warning(() -> what + ": the database is unavailable (" + DatabaseUnavailable.describe(e) + "); "
                    + "retrying quietly until it answers");
        }
        return true;
    }

    /** Notes a success; ends an outage, if one was under way, with a log line. */
    public void succeeded() {
        Instant began;
        long failed;
        synchronized (this) {
            if (since == null) {
                return;
            }
            began = since;
            failed = failures;
            since = null;
            failures = 0;
        }
        log.info(() -> what + ": the database answers again after " + Duration.between(began, Instant.now()).toSeconds()
                + " s (" + failed + " attempt(s) failed meanwhile); resumed");
    }

    /** Whether an outage is under way for this loop. */
    public synchronized boolean inOutage() {
        return since != null;
    }
}
