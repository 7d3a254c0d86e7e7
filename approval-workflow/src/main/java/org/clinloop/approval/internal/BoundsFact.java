package org.clinloop.approval.internal;

import org.clinloop.approval.ProtocolLimits;
import org.clinloop.approval.SafetyBounds;

/** Drools fact: the active clinician bounds together with the protocol's hard limits. */
public final class BoundsFact {

    private final SafetyBounds bounds;
    private final ProtocolLimits limits;

    public BoundsFact(SafetyBounds bounds, ProtocolLimits limits) {
        this.bounds = bounds;
        this.limits = limits;
    }

    public int getVersion() {
        return bounds.version();
    }

    public int getLowestStep() {
        return bounds.lowestStep();
    }

    public int getHighestStep() {
        return bounds.highestStep();
    }

    public int getMaxAutoSteps() {
        return bounds.maxAutoSteps();
    }

    public double getSystolicFloor() {
        return bounds.systolicFloor();
    }

    public double getMinConfidence() {
        return bounds.minConfidence();
    }

    public boolean isAutonomyEnabled() {
        return bounds.autonomyEnabled();
    }

    /** False when the bounds themselves exceed the protocol (authoring refuses such bounds). */
    public boolean isWithinHardLimits() {
        return limits.violations(bounds).isEmpty();
    }

    public String getHardLimitViolations() {
        return String.join("; ", limits.violations(bounds));
    }

    public int getMinDaysBetweenAutoChanges() {
        return bounds.minDaysBetweenAutoChanges();
    }

    public int getMaxAutoChangesPer30Days() {
        return bounds.maxAutoChangesPer30Days();
    }

    public SafetyBounds getBounds() {
        return bounds;
    }

    public int getHardLowestStep() {
        return 0;
    }

    public int getHardHighestStep() {
        return limits.ladder().highestStep();
    }
}
