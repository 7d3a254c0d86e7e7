package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.PatientData;
import org.clinloop.recommendation.ProposalRecorded;

/**
 * Why a task's proposal was made and why it waits, as the decision recorded it: the model's
 * feature contributions ({@code PROPOSAL_MADE}) and the rules that fired ({@code TIER_DECIDED}).
 * Read from the audit log for those who may read the patient's record; the clinician never reads
 * the audit log itself.
 */
@ApplicationScoped
public class ProposalExplanations {

    /** How many of a patient's newest entries of each kind are searched for the proposal. */
    static final int SEARCH_DEPTH = 500;

    @Inject
    WorkflowStore store;
    @Inject
    AuditLog audit;
    @Inject
    CareTeam careTeam;

    /**
     * A proposal's recorded explanation.
     *
     * @param patientId     the patient
     * @param taskId        the task
     * @param proposalId    the proposal
     * @param recorded      false while the decision's audit entries are not yet chained (moments
     *                      after the decision): every field below is then empty
     * @param modelId       the model version that proposed it
     * @param algorithm     e.g. logistic-regression
     * @param provenanceHash hex SHA-256 of the model's provenance
     * @param probabilities probability of each direction
     * @param method        how the contributions were obtained (EXACT_LINEAR, LIME), or null when none
     * @param against       the runner-up direction the margin is taken against, or null
     * @param intercept     the margin no feature accounts for, or null
     * @param margin        intercept plus every contribution, or null
     * @param contributions per feature, largest |contribution| first, with the feature's value
     * @param tier          where the rules sent it
     * @param rulesVersion  the rule set's name and hash
     * @param boundsVersion the bounds version the rules weighed (0: the protocol's default)
     * @param rulesFired    every rule that fired, in firing order
     */
    public record Explained(String patientId, String taskId, String proposalId, boolean recorded, String modelId,
                            String algorithm, String provenanceHash, Map<String, Double> probabilities, String method,
                            String against, Double intercept, Double margin, List<Contribution> contributions,
                            String tier, String rulesVersion, Integer boundsVersion, List<RuleFiring> rulesFired)
            implements PatientData {

        public Explained {
            probabilities = Map.copyOf(probabilities);
            contributions = List.copyOf(contributions);
            rulesFired = List.copyOf(rulesFired);
        }
    }

    /**
     * One feature's part.
     *
     * @param feature      the model feature
     * @param value        its value in clinical units as the model saw it, or null when missing
     * @param contribution its part of the margin (positive: towards the proposal)
     */
    public record Contribution(String feature, Double value, double contribution) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Explained forTask(String taskId, Actor actor) {
        String notFound = "No task " + taskId + ".";
        ApprovalTask task = store.task(taskId).orElseThrow(() -> new UnknownResourceException(notFound));
        UnknownResourceException.unlessReadable(task.patientId(),
                () -> Roles.requireReaderOf(actor, task.patientId(), careTeam), notFound);
        return explain(task);
    }

    /** The task's recorded explanation, for a caller already allowed to see it (see {@link PointOfCare}). */
    public Explained explain(ApprovalTask task) {
        String taskId = task.id();
        Optional<ProposalRecorded> proposal = RecordedDecisions.newest(audit, task.patientId(), ProposalRecorded.TYPE,
                SEARCH_DEPTH, ProposalRecorded::fromEntry, p -> task.proposalId().equals(p.proposalId()));
        Optional<TierRecorded> decision = RecordedDecisions.newest(audit, task.patientId(), TierRecorded.TYPE,
                SEARCH_DEPTH, TierRecorded::fromEntry, t -> task.proposalId().equals(t.proposalId()));
        if (proposal.isEmpty() || decision.isEmpty()) {
            return new Explained(task.patientId(), taskId, task.proposalId(), false, null, null, null, Map.of(), null,
                    null, null, null, List.of(), null, null, null, List.of());
        }
        ProposalRecorded p = proposal.get();
        TierRecorded d = decision.get();
        List<Contribution> contributions = new ArrayList<>();
        Optional<ProposalRecorded.Explained> e = p.explanation();
        e.ifPresent(x -> x.contributions().forEach((feature, c) -> contributions.add(
                new Contribution(feature, p.features().get(feature), c))));
        contributions.sort(java.util.Comparator.comparingDouble((Contribution c) -> -Math.abs(c.contribution())));
        Map<String, Double> probabilities = new java.util.LinkedHashMap<>();
        p.probabilities().forEach((dir, v) -> probabilities.put(dir.name(), v));
        return new Explained(task.patientId(), taskId, task.proposalId(), true, p.model().id(), p.model().algorithm(),
                p.model().provenanceHash(), probabilities, e.map(x -> x.method().name()).orElse(null),
                e.map(x -> x.against().name()).orElse(null), e.map(ProposalRecorded.Explained::intercept).orElse(null),
                e.map(ProposalRecorded.Explained::margin).orElse(null), contributions, d.tier().name(),
                d.rulesVersion(), d.boundsVersion(), d.rulesFired());
    }
}
