package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The workflow's knobs, from MicroProfile Config (server.xml variables or the environment). */
@ApplicationScoped
public class WorkflowSettings {

    @Inject
    @ConfigProperty(name = "clinloop.autonomy.required-approvals", defaultValue = "3")
    int requiredApprovals;
    @Inject
    @ConfigProperty(name = "clinloop.tasks.expire-after-hours", defaultValue = "72")
    int taskHours;
    @Inject
    @ConfigProperty(name = "clinloop.alerts.merge-window-hours", defaultValue = "24")
    int mergeHours;
    @Inject
    @ConfigProperty(name = "clinloop.alerts.escalate-after-minutes", defaultValue = "30")
    int escalateMinutes;
    @Inject
    @ConfigProperty(name = "clinloop.deliveries.acknowledge-within-hours", defaultValue = "24")
    int acknowledgeHours;
    @Inject
    @ConfigProperty(name = "clinloop.decisions.horizon-hours", defaultValue = "168")
    int horizonHours = 168;
    @Inject
    @ConfigProperty(name = "clinloop.decisions.quiet-minutes", defaultValue = "15")
    int quietMinutes = 15;
    @Inject
    @ConfigProperty(name = "clinloop.decisions.poll-millis", defaultValue = "1000")
    int pollMillis = 1000;
    @Inject
    @ConfigProperty(name = "clinloop.decisions.workers", defaultValue = "2")
    int workers = 2;
    @Inject
    @ConfigProperty(name = "clinloop.decisions.stall-seconds", defaultValue = "120")
    int stallSeconds = 120;
    @Inject
    @ConfigProperty(name = "clinloop.crisis.confirm-seconds", defaultValue = "900")
    int crisisConfirmSeconds = 900;

    /** Consecutive unmodified approvals before a patient's proposals may be delivered automatically. */
    public int requiredApprovals() {
        return requiredApprovals;
    }

    public Duration taskLifetime() {
        return Duration.ofHours(taskHours);
    }

    /** A repeat of an open alert within this window is merged into it. */
    public Duration alertMergeWindow() {
        return Duration.ofHours(mergeHours);
    }

    /** An open high-severity alert nobody acknowledged for this long is escalated. */
    public Duration escalateAfter() {
        return Duration.ofMinutes(escalateMinutes);
    }

    /** A delivery the app has not acknowledged for this long is flagged. */
    public Duration acknowledgeWithin() {
        return Duration.ofHours(acknowledgeHours);
    }

    /**
     * A blood-pressure reading measured longer ago than this is kept as history but does not
     * trigger a proposal: a dose change made today must rest on how the patient is now, not on a
     * reading that arrived late (a gateway's backlog, an EHR's history import).
     */
    public Duration decisionHorizon() {
        return Duration.ofHours(horizonHours);
    }

    /**
     * The fewest minutes between two proposals for one patient: readings arriving sooner are
     * gathered into the next decision instead of each bringing a proposal. Alerts never wait for it.
     */
    public Duration quietPeriod() {
        return Duration.ofMinutes(quietMinutes);
    }

    /** How often an idle decision worker looks for due patients (a reading's commit also wakes it). */
    public Duration pollInterval() {
        return Duration.ofMillis(Math.max(50, pollMillis));
    }

    /** Decision workers per service instance (0 switches deciding off on this instance). */
    public int workers() {
        return workers;
    }

    /** A due patient waiting longer than this means the workers are stalled: readiness goes down. */
    public Duration stallAfter() {
        return Duration.ofSeconds(stallSeconds);
    }

    /**
     * How long after a first crisis reading was accepted the patient has to measure again: with
     * neither a confirming reading nor one below the crisis range by then, the alert is raised anyway.
     */
    public Duration crisisConfirmWithin() {
        return Duration.ofSeconds(crisisConfirmSeconds);
    }

    /** Settings for code outside CDI (tests, benchmarks). */
    public static WorkflowSettings of(int requiredApprovals, int taskHours, int mergeHours, int escalateMinutes,
                                      int acknowledgeHours) {
        WorkflowSettings s = new WorkflowSettings();
        s.requiredApprovals = requiredApprovals;
        s.taskHours = taskHours;
        s.mergeHours = mergeHours;
        s.escalateMinutes = escalateMinutes;
        s.acknowledgeHours = acknowledgeHours;
        return s;
    }
}
