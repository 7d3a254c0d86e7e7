package org.clinloop.approval.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;

/** {@code crisis_watch}: crisis readings waiting for a second reading. Joins the caller's transaction. */
@ApplicationScoped
public class CrisisWatchStore {

    /**
     * A crisis reading on watch.
     *
     * @param observationId the crisis reading
     * @param until         when the alert is raised if nothing confirmed or refuted it
     */
    public record Watch(String observationId, String patientId, Instant effective, Instant until) {
    }

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    public void watch(String observationId, String patientId, Instant effective, Instant until) {
        em.createNativeQuery("INSERT INTO crisis_watch (observation_id, patient_id, effective_at, watch_until)"
                        + " VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, observationId).setParameter(2, patientId).setParameter(3, effective)
                .setParameter(4, until).executeUpdate();
    }

    /** Ends the watch on the patient's crisis readings measured up to {@code upTo}; how many ended. */
    public int settle(String patientId, Instant upTo) {
        return em.createNativeQuery("DELETE FROM crisis_watch WHERE patient_id = ?1 AND effective_at <= ?2")
                .setParameter(1, patientId).setParameter(2, upTo).executeUpdate();
    }

    /** Watches whose time ran out, locked (several instances sweep; each watch is raised once). */
    public List<Watch> expired(Instant now, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT observation_id, patient_id, effective_at, watch_until"
                        + " FROM crisis_watch WHERE watch_until <= ?1 ORDER BY watch_until LIMIT " + limit
                        + " FOR UPDATE SKIP LOCKED")
                .setParameter(1, now).getResultList();
        return rows.stream().map(r -> new Watch(String.valueOf(r[0]), String.valueOf(r[1]), OutboxStore.instant(r[2]),
                OutboxStore.instant(r[3]))).toList();
    }

    public void end(String observationId) {
        em.createNativeQuery("DELETE FROM crisis_watch WHERE observation_id = ?1").setParameter(1, observationId)
                .executeUpdate();
    }
}
