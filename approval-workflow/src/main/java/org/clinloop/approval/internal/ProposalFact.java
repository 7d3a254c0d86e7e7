package org.clinloop.approval.internal;

/** Drools fact: the proposed change. JavaBean getters because DRL constraints read properties. */
public final class ProposalFact {

    private final int fromStep;
    private final int toStep;
    private final double probability;

    public ProposalFact(int fromStep, int toStep, double probability) {
        this.fromStep = fromStep;
        this.toStep = toStep;
        this.probability = probability;
    }

    public int getFromStep() {
        return fromStep;
    }

    public int getToStep() {
        return toStep;
    }

    public int getStepChange() {
        return toStep - fromStep;
    }

    public int getAbsoluteChange() {
        return Math.abs(toStep - fromStep);
    }

    public double getProbability() {
        return probability;
    }
}
