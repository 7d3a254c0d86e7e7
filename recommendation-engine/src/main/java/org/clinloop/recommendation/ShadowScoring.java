package org.clinloop.recommendation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.clinloop.recommendation.internal.ShadowPredictionRow;

/**
 * Scores live snapshots with every SHADOW version beside the ACTIVE one, and reports their
 * agreement. Shadow proposals are stored apart, in their own transaction, and never reach the
 * rules; {@link Recommender} logs a failure here and carries on with the ACTIVE proposal.
 */
@ApplicationScoped
public class ShadowScoring {

    @Inject
    Clock clock;
    @Inject
    Instance<PatientGroups> groups;

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    /**
     * Scores {@code snapshot} with each version in {@code inShadow}; {@code active} is what the
     * ACTIVE one proposed.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void score(PatientSnapshot snapshot, Recommendation active, List<TitrationModel> inShadow) {
        for (TitrationModel shadow : inShadow) {
            Recommendation r = Recommender.recommend(shadow, snapshot);
            em.persist(new ShadowPredictionRow(UUID.randomUUID().toString(), shadow.version().id(),
                    active.model().id(), snapshot.patientId(), clock.instant(), active.inputHash(), active.direction(),
                    r.direction(), active.probability(), r.probability()));
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ShadowAgreement agreement(String shadowModel) {
        List<ShadowPredictionRow> rows = em.createQuery("select p from ShadowPredictionRow p where p.shadowModel = :m",
                ShadowPredictionRow.class).setParameter("m", shadowModel).getResultList();
        return agreement(shadowModel, rows, groups.isResolvable() ? groups.get() : id -> Map.of());
    }

    static ShadowAgreement agreement(String shadowModel, List<ShadowPredictionRow> rows, PatientGroups groupsOf) {
        Map<String, Long> actives = new TreeMap<>();
        Map<Direction, Map<Direction, Long>> confusion = new EnumMap<>(Direction.class);
        Map<String, Map<String, long[]>> byGroup = new TreeMap<>();
        Map<String, Map<String, String>> groupsByPatient = new HashMap<>();
        long agree = 0;
        for (ShadowPredictionRow r : rows) {
            actives.merge(r.activeModel(), 1L, Long::sum);
            confusion.computeIfAbsent(r.activeDirection(), d -> new EnumMap<>(Direction.class))
                    .merge(r.shadowDirection(), 1L, Long::sum);
            boolean same = r.activeDirection() == r.shadowDirection();
            agree += same ? 1 : 0;
            for (Map.Entry<String, String> g : groupsByPatient.computeIfAbsent(r.patientId(), groupsOf::groupsOf)
                    .entrySet()) {
                long[] c = byGroup.computeIfAbsent(g.getKey(), k -> new TreeMap<>())
                        .computeIfAbsent(g.getValue(), k -> new long[2]);
                c[0]++;
                c[1] += same ? 1 : 0;
            }
        }
        Map<Direction, Double> byClass = new EnumMap<>(Direction.class);
        confusion.forEach((d, row) -> {
            long n = row.values().stream().mapToLong(Long::longValue).sum();
            byClass.put(d, row.getOrDefault(d, 0L) / (double) n);
        });
        Map<String, Map<String, ShadowAgreement.GroupAgreement>> groupsOut = new TreeMap<>();
        byGroup.forEach((attr, gs) -> {
            Map<String, ShadowAgreement.GroupAgreement> m = new TreeMap<>();
            gs.forEach((g, c) -> m.put(g, new ShadowAgreement.GroupAgreement(c[0], c[1] / (double) c[0])));
            groupsOut.put(attr, m);
        });
        return new ShadowAgreement(shadowModel, actives, rows.size(),
                rows.isEmpty() ? Double.NaN : agree / (double) rows.size(), confusion, byClass, groupsOut);
    }
}
