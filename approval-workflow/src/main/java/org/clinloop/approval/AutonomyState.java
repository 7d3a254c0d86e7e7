package org.clinloop.approval;

/**
 * Autonomy is earned per patient: automatic delivery needs {@code required} consecutive
 * proposals approved unmodified; a rejection, a modification or an alert starts over.
 *
 * @param consecutiveApprovals proposals approved unmodified in a row
 * @param required             how many are needed
 * @param earned               whether automatic delivery is allowed
 */
public record AutonomyState(int consecutiveApprovals, int required, boolean earned) {

    /** A new patient: approval only. */
    public static final AutonomyState NEW = new AutonomyState(0, 3, false);

    public static AutonomyState initial(int required) {
        return new AutonomyState(0, required, required <= 0);
    }

    /** After a clinician approved a proposal as made. */
    public AutonomyState approvedUnmodified() {
        int n = consecutiveApprovals + 1;
        return new AutonomyState(n, required, earned || n >= required);
    }

    /** After a rejection, a modification or an alert. */
    public AutonomyState reset() {
        return new AutonomyState(0, required, false);
    }
}
