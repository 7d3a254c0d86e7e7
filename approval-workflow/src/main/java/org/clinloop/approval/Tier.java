package org.clinloop.approval;

/**
 * Where a proposal goes. Ordered from least to most restrictive: the decision is the most
 * restrictive verdict of any rule that fired.
 */
public enum Tier {
    /** The model proposes no change; nothing is delivered. */
    NO_CHANGE,
    /** Inside the patient's active bounds: delivered to the patient's app. */
    AUTO,
    /** Waits in the clinician queue as a FHIR Task. */
    NEEDS_APPROVAL,
    /** Outside the protocol's hard limits or unsafe now: not delivered, a DetectedIssue is raised. */
    BLOCKED;

    public Tier mostRestrictive(Tier other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
