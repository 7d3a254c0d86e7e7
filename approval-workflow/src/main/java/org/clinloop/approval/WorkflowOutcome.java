package org.clinloop.approval;

import java.util.List;
import java.util.Optional;
import org.clinloop.recommendation.Recommendation;

/**
 * What became of one reading.
 *
 * @param proposalId     the recorded proposal, or null when none was made
 * @param recommendation the model's recommendation, or null
 * @param decision       the rules' decision (alerts are decided even without a proposal); null for a
 *                       reading older than the decision horizon
 * @param taskId         the queued task, or null
 * @param adjustmentId   the delivered adjustment, or null
 * @param alerts         alerts raised
 * @param skippedReason  why no proposal was made, or null
 */
public record WorkflowOutcome(String proposalId, Recommendation recommendation, TierDecision decision, String taskId,
                              String adjustmentId, List<SafetyAlert> alerts, String skippedReason) {

    public WorkflowOutcome {
        alerts = List.copyOf(alerts);
    }

    public Optional<Tier> tier() {
        return proposalId == null ? Optional.empty() : Optional.of(decision.tier());
    }
}
