package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.clinloop.approval.internal.WorkflowStore;

/**
 * Every proposal of a period with its tier, task and alerts: the raw material of the fairness
 * audit of the human loop. Callers authorize (this reads across patients).
 */
@ApplicationScoped
public class DecisionLedger {

    @Inject
    WorkflowStore store;

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DecisionRecord> between(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("Expected a period with from before to, found " + from + " .. " + to + ".");
        }
        return store.decisionsBetween(from, to);
    }
}
