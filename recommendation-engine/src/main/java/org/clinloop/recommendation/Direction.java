package org.clinloop.recommendation;

/** Which way a proposal moves the dose. Names are model labels and audit values: never rename. */
public enum Direction {
    DECREASE(-1),
    HOLD(0),
    INCREASE(1);

    private final int sign;

    Direction(int sign) {
        this.sign = sign;
    }

    /** The direction of a move from one dose step to another. */
    public static Direction between(int fromStep, int toStep) {
        return toStep > fromStep ? INCREASE : toStep < fromStep ? DECREASE : HOLD;
    }

    /** -1, 0 or +1: the direction of the dose step. */
    public int sign() {
        return sign;
    }
}
