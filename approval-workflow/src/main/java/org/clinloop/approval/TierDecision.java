package org.clinloop.approval;

import java.util.List;

/**
 * The safety rules' decision on one proposal.
 *
 * @param tier          where the proposal goes
 * @param fired         every rule that fired, in firing order
 * @param alerts        alerts to raise, whatever the tier
 * @param fromStep      current dose step
 * @param toStep        proposed dose step
 * @param rulesVersion  name and content hash of the rule set
 * @param boundsVersion the bounds version evaluated (0 = protocol default)
 */
public record TierDecision(Tier tier, List<RuleFiring> fired, List<Alert> alerts, int fromStep, int toStep,
                           String rulesVersion, int boundsVersion) {

    public TierDecision {
        fired = List.copyOf(fired);
        alerts = List.copyOf(alerts);
    }

    public List<String> ruleNames() {
        return fired.stream().map(RuleFiring::rule).toList();
    }

    public boolean urgent() {
        return alerts.stream().anyMatch(a -> "high".equals(a.severity()));
    }
}
