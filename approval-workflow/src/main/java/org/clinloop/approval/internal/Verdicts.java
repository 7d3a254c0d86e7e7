package org.clinloop.approval.internal;

import java.util.ArrayList;
import java.util.List;
import org.clinloop.approval.Alert;
import org.clinloop.approval.RuleFiring;
import org.clinloop.approval.Tier;

/** Drools global: collects each firing rule's vote and alerts. One instance per evaluation. */
public final class Verdicts {

    private final List<RuleFiring> votes = new ArrayList<>();
    private final List<Alert> alerts = new ArrayList<>();

    public void vote(String rule, Tier tier, String reason) {
        votes.add(new RuleFiring(rule, tier, reason));
    }

    public void alert(String code, String severity, String detail) {
        alerts.add(new Alert(code, severity, detail));
    }

    public List<RuleFiring> votes() {
        return votes;
    }

    public List<Alert> alerts() {
        return alerts;
    }
}
