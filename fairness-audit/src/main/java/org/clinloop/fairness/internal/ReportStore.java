package org.clinloop.fairness.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;
import org.clinloop.fairness.ReportKind;
import org.clinloop.fairness.StoredReport;

/** Persistence of fairness reports. */
@ApplicationScoped
public class ReportStore {

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    public int nextVersion(ReportKind kind) {
        Integer max = em.createQuery("select max(r.version) from FairnessReportRow r where r.kind = :k", Integer.class)
                .setParameter("k", kind).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    public void save(StoredReport report) {
        em.persist(new FairnessReportRow(report));
    }

    public Optional<StoredReport> get(String id) {
        return Optional.ofNullable(em.find(FairnessReportRow.class, id)).map(FairnessReportRow::toReport);
    }

    public List<StoredReport> list(int limit) {
        return em.createQuery("select r from FairnessReportRow r order by r.createdAt desc", FairnessReportRow.class)
                .setMaxResults(limit).getResultList().stream().map(FairnessReportRow::toReport).toList();
    }
}
