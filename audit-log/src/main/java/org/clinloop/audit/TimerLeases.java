package org.clinloop.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Once per period across the cluster: every instance runs the same timers, and a periodic job
 * (workflow sweeps, drift checks, fairness reports, tree-head signing) does its work only on the
 * instance that claims the period in PostgreSQL. A claim moves the job's {@code timer_lease.ran_at}
 * to the database's now (one clock for every instance, whatever their hosts' clocks say), in one
 * statement that succeeds only when the last run is at least 90 % of a period ago
 * (so a timer firing a little early still claims its period); instances racing for a period find
 * one winner. An instance that dies mid-job leaves that period done as far as the others know;
 * the next period runs elsewhere. Lives in the lowest module because every module with a timer
 * depends on it.
 */
@ApplicationScoped
public class TimerLeases {

    /** Who claimed a period: this JVM's {@code pid@host}. */
    static final String INSTANCE = ManagementFactory.getRuntimeMXBean().getName();

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    /**
     * Claims this period of {@code job} for this instance, in a transaction of its own.
     *
     * @param job    the job's name (at most 64 characters)
     * @param period how often the job runs on each instance
     * @return true when this instance should run the job now; false when another ran it this period
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean claim(String job, Duration period) {
        if (job == null || job.isBlank() || job.length() > 64) {
            throw new IllegalArgumentException("Expected a job name of 1 to 64 characters, found " + job + ".");
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("Expected a positive period, found " + period + ".");
        }
        // The database's clock, not this instance's: instances on hosts whose clocks differ by more
        // than a tenth of a period would otherwise each find the other's claim old enough.
        double dueSeconds = period.toMillis() * 0.9 / 1000.0;
        int claimed = em.createNativeQuery("INSERT INTO timer_lease (job, ran_at, ran_by)"
                        + " VALUES (?1, statement_timestamp(), ?2)"
                        + " ON CONFLICT (job) DO UPDATE SET ran_at = EXCLUDED.ran_at, ran_by = EXCLUDED.ran_by"
                        + " WHERE timer_lease.ran_at <= statement_timestamp() - make_interval(secs => ?3)")
                .setParameter(1, job).setParameter(2, INSTANCE).setParameter(3, dueSeconds)
                .executeUpdate();
        return claimed == 1;
    }
}
