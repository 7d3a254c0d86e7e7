package org.clinloop.recommendation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.clinloop.recommendation.internal.FeedbackRow;
import org.clinloop.recommendation.internal.TrainingFeedbackRow;

/**
 * Clinician decisions on proposals, kept as labelled feedback linked to the proposing model
 * version, and which of them each retrained version learned from. Rows are only ever added.
 */
@ApplicationScoped
public class FeedbackLog {

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    /**
     * Keeps one decision, in the caller's transaction (the approval that made it), so that a
     * decision and its label are stored together or not at all.
     *
     * @throws IllegalStateException when the proposal was decided on before
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(ClinicianFeedback feedback) {
        if (em.find(FeedbackRow.class, feedback.proposalId()) != null) {
            throw new IllegalStateException("Expected one decision per proposal, found a second for "
                    + feedback.proposalId() + ".");
        }
        em.persist(new FeedbackRow(feedback));
    }

    /** Every decision kept, oldest first (ties by proposal id): the order retraining learns in. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ClinicianFeedback> all() {
        return em.createQuery("select f from FeedbackRow f order by f.decidedAt, f.proposalId", FeedbackRow.class)
                .getResultList().stream().map(FeedbackRow::toFeedback).toList();
    }

    /** The feedback a version was trained on, in training order, with its weight. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public TrainingFeedback usedBy(String versionId) {
        List<TrainingFeedbackRow> links = em.createQuery("select t from TrainingFeedbackRow t"
                + " where t.modelId = :m order by t.ordinal", TrainingFeedbackRow.class)
                .setParameter("m", versionId).getResultList();
        if (links.isEmpty()) {
            return TrainingFeedback.NONE;
        }
        List<ClinicianFeedback> examples = new ArrayList<>(links.size());
        for (TrainingFeedbackRow l : links) {
            examples.add(em.find(FeedbackRow.class, l.proposalId()).toFeedback());
        }
        return new TrainingFeedback(examples, links.get(0).weight());
    }

    /** Records which feedback a newly registered version was trained on (part of registering it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void link(String versionId, TrainingFeedback feedback) {
        int ordinal = 0;
        for (ClinicianFeedback f : feedback.examples()) {
            em.persist(new TrainingFeedbackRow(versionId, f.proposalId(), ordinal++, feedback.weight()));
        }
    }

    /**
     * Counts for the steward: decisions by action, labels, why decisions label nothing, and per
     * proposing version how often clinicians chose its direction.
     *
     * @param decisions        all decisions kept
     * @param byAction         APPROVED / MODIFIED / REJECTED → count
     * @param byLabel          label → count, over labelled decisions
     * @param unlabelled       label note → count, over decisions that teach nothing
     * @param agreementByModel version → {n, agreed, share}: labelled decisions on its proposals
     *                         and how many chose its direction
     */
    public record Summary(int decisions, Map<String, Integer> byAction, Map<String, Integer> byLabel,
                          Map<String, Integer> unlabelled, Map<String, Map<String, Double>> agreementByModel) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Summary summary() {
        List<ClinicianFeedback> all = all();
        Map<String, Integer> byAction = new TreeMap<>();
        Map<String, Integer> byLabel = new TreeMap<>();
        Map<String, Integer> unlabelled = new TreeMap<>();
        Map<String, int[]> agreement = new TreeMap<>();
        for (ClinicianFeedback f : all) {
            byAction.merge(f.action().name(), 1, Integer::sum);
            if (f.label() == null) {
                unlabelled.merge(f.labelNote(), 1, Integer::sum);
                continue;
            }
            byLabel.merge(f.label().name(), 1, Integer::sum);
            int[] a = agreement.computeIfAbsent(f.modelId(), m -> new int[2]);
            a[0]++;
            a[1] += f.agreesWithModel() ? 1 : 0;
        }
        Map<String, Map<String, Double>> byModel = new TreeMap<>();
        agreement.forEach((m, a) -> byModel.put(m, Map.of("n", (double) a[0], "agreed", (double) a[1],
                "share", a[1] / (double) a[0])));
        return new Summary(all.size(), byAction, byLabel, unlabelled, byModel);
    }
}
