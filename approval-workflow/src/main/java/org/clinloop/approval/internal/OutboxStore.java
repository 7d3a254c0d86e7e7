package org.clinloop.approval.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clinloop.approval.DecisionQueue;

/**
 * The decision outbox in SQL: {@code decision_queue} (one row per patient with a regimen) and
 * {@code pending_reading} (the readings the next decision covers). Native statements because the
 * two things that make the outbox safe have no JPQL form: {@code FOR UPDATE SKIP LOCKED} (several
 * workers, on one or several service instances, never take the same patient) and an UPDATE that
 * takes the queue row's lock (a reading's transaction and a worker on the same patient serialize
 * on that row, so a committed pending reading always has its patient due). Joins the caller's
 * transaction.
 */
@ApplicationScoped
public class OutboxStore {

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    /** Creates the patient's queue row, idle, unless it exists (called with the regimen's creation). */
    public void open(String patientId) {
        Number n = (Number) em.createNativeQuery("SELECT COUNT(*) FROM decision_queue WHERE patient_id = ?1")
                .setParameter(1, patientId).getSingleResult();
        if (n.intValue() == 0) {
            em.createNativeQuery("INSERT INTO decision_queue (patient_id, pending_readings, decisions, readings_decided)"
                    + " VALUES (?1, 0, 0, 0)").setParameter(1, patientId).executeUpdate();
        }
    }

    /**
     * Records the reading as pending and marks its patient due: at once, or, if the reading was
     * measured within the quiet period of the patient's last proposal, when that period ends.
     * False when the patient has no queue row (no regimen, nothing to decide). The UPDATE comes
     * first: it takes the patient's queue row lock until the reading commits, and it weighs the
     * quiet period under that lock, so a reading racing a decision sees the decision's result.
     */
    public boolean enqueue(String patientId, String observationId, Instant effective, Instant now) {
        String due = "CASE WHEN quiet_until IS NOT NULL AND quiet_until > ?2 AND ?3 < quiet_reading_until"
                + " THEN quiet_until ELSE ?2 END";
        int updated = em.createNativeQuery("UPDATE decision_queue SET pending_readings = pending_readings + 1,"
                        + " pending_since = COALESCE(pending_since, ?2),"
                        + " due_at = CASE WHEN due_at IS NOT NULL AND due_at <= " + due + " THEN due_at ELSE " + due
                        + " END WHERE patient_id = ?1")
                .setParameter(1, patientId).setParameter(2, now).setParameter(3, effective).executeUpdate();
        if (updated == 0) {
            return false;
        }
        em.createNativeQuery("INSERT INTO pending_reading (observation_id, patient_id, effective_at, queued_at)"
                        + " VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, observationId).setParameter(2, patientId).setParameter(3, effective)
                .setParameter(4, now).executeUpdate();
        return true;
    }

    /**
     * A claimed patient and the readings its decision covers, oldest measurement first.
     *
     * @param patientId the patient, whose queue row this transaction now holds
     * @param pending   the readings waiting for the decision (none when a reading was deleted meanwhile)
     */
    public record Claim(String patientId, List<DecisionQueue.PendingReading> pending) {
        public Claim {
            pending = List.copyOf(pending);
        }
    }

    /**
     * Takes the patient whose decision has been due longest, locking its queue row until the
     * transaction ends, with its pending readings, in one round trip; patients another worker holds
     * are skipped, not waited for.
     */
    public Optional<Claim> claimDue(Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("WITH claimed AS MATERIALIZED (SELECT patient_id FROM decision_queue"
                        + " WHERE due_at <= ?1 ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED)"
                        + " SELECT c.patient_id, p.observation_id, p.effective_at FROM claimed c"
                        + " LEFT JOIN pending_reading p ON p.patient_id = c.patient_id"
                        + " ORDER BY p.effective_at, p.observation_id")
                .setParameter(1, now).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<DecisionQueue.PendingReading> pending = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            if (r[1] != null) {
                pending.add(new DecisionQueue.PendingReading(String.valueOf(r[1]), instant(r[2])));
            }
        }
        return Optional.of(new Claim(String.valueOf(rows.get(0)[0]), pending));
    }

    /**
     * Closes the claimed patient's round: the covered readings leave the outbox and the patient is
     * idle until the next reading.
     *
     * @param proposedOn when the reading behind the proposal made was measured, or null when none was made
     * @param quiet      the quiet period that follows a proposal
     */
    public void decided(String patientId, List<String> covered, Instant now, Instant proposedOn,
                        java.time.Duration quiet) {
        // One statement per 500 ids, not one per reading: a bundle of 100 is one decision.
        for (int from = 0; from < covered.size(); from += 500) {
            em.createNativeQuery("DELETE FROM pending_reading WHERE patient_id = ?1 AND observation_id IN (?2)")
                    .setParameter(1, patientId).setParameter(2, covered.subList(from, Math.min(covered.size(), from + 500)))
                    .executeUpdate();
        }
        var update = em.createNativeQuery("UPDATE decision_queue SET due_at = NULL, pending_since = NULL,"
                        + " pending_readings = 0," + (proposedOn != null ? " last_proposal_at = ?3, quiet_until = ?4, quiet_reading_until = ?5," : "")
                        + " decisions = decisions + 1, readings_decided = readings_decided + ?2 WHERE patient_id = ?1")
                .setParameter(1, patientId).setParameter(2, covered.size());
        if (proposedOn != null) {
            update.setParameter(3, now).setParameter(4, now.plus(quiet)).setParameter(5, proposedOn.plus(quiet));
        }
        update.executeUpdate();
    }

    /** Where the patient's decisions stand, or empty for a patient without a queue row (no regimen). */
    public Optional<DecisionQueue.PatientStatus> status(String patientId) {
        @SuppressWarnings("unchecked")
        List<Object[]> r = em.createNativeQuery("SELECT pending_readings, pending_since, due_at, last_proposal_at,"
                        + " decisions FROM decision_queue WHERE patient_id = ?1")
                .setParameter(1, patientId).getResultList();
        return r.stream().findFirst().map(row -> new DecisionQueue.PatientStatus(patientId,
                ((Number) row[0]).intValue(), instant(row[1]), instant(row[2]), instant(row[3]),
                ((Number) row[4]).longValue()));
    }

    /** Patients waiting, readings waiting, the oldest wait's start, decisions and readings decided so far. */
    public DecisionQueue.Depth depth() {
        Object[] r = (Object[]) em.createNativeQuery("SELECT COUNT(due_at), COALESCE(SUM(pending_readings), 0),"
                + " MIN(pending_since), MIN(due_at), COALESCE(SUM(decisions), 0), COALESCE(SUM(readings_decided), 0)"
                + " FROM decision_queue").getSingleResult();
        return new DecisionQueue.Depth(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), instant(r[2]),
                instant(r[3]), ((Number) r[4]).longValue(), ((Number) r[5]).longValue());
    }

    /** Drivers return TIMESTAMP WITH TIME ZONE as OffsetDateTime, Timestamp or Instant. */
    static Instant instant(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof java.time.ZonedDateTime z) {
            return z.toInstant();
        }
        throw new IllegalStateException("Expected a timestamp from the database, found " + v.getClass().getName());
    }
}
