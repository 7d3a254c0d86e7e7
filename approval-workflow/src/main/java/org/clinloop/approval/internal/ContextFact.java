package org.clinloop.approval.internal;

import java.util.Locale;
import org.clinloop.approval.ClinicalContext;
import org.clinloop.approval.DecisionContext;
import org.clinloop.approval.ProtocolLimits;
import org.clinloop.approval.SafetyBounds;

/** Drools fact: what is derived from the patient's recent data, the autonomy earned and the EHR context. */
public final class ContextFact {

    private final boolean crisis;
    private final boolean crisisConfirmed;
    private final double meanSystolicLastThree;
    private final boolean autonomyEarned;
    private final int approvalsTowardAutonomy;
    private final int approvalsRequired;
    private final double daysSinceLastAutoChange;
    private final int autoChangesLast30Days;
    private final boolean pregnant;
    private final boolean potassiumHigh;
    private final double potassium;
    private final boolean egfrFalling;
    private final double egfrDropPercent;
    private final String hypotensionSymptom;
    private final ClinicalContext.Provenance provenance;

    public ContextFact(DecisionContext c, ProtocolLimits limits) {
        this.crisis = c.reading().isHypertensiveCrisis();
        this.crisisConfirmed = c.crisisConfirmed(limits.crisisConfirmation());
        this.meanSystolicLastThree = c.meanSystolicOfLastThree();
        this.autonomyEarned = c.autonomy().earned();
        this.approvalsTowardAutonomy = c.autonomy().consecutiveApprovals();
        this.approvalsRequired = c.autonomy().required();
        this.daysSinceLastAutoChange = c.daysSinceLastAutoChange();
        this.autoChangesLast30Days = c.changes().last30Days();
        this.pregnant = Boolean.TRUE.equals(c.clinical().pregnant());
        this.potassium = c.clinical().potassium() == null ? Double.NaN : c.clinical().potassium();
        this.potassiumHigh = c.clinical().potassium() != null && c.clinical().potassium() > limits.potassiumMax();
        this.egfrDropPercent = c.clinical().egfrDropPercent() == null ? Double.NaN : c.clinical().egfrDropPercent();
        this.egfrFalling = c.clinical().egfrDropPercent() != null && c.clinical().egfrDropPercent() > limits.egfrDropMaxPercent();
        this.hypotensionSymptom = c.clinical().hypotensionSymptom();
        this.provenance = c.clinical().provenance();
    }

    /** Who asserted the pregnancy status, for the rules' reasons. */
    public String getPregnancySource() {
        return said(provenance.pregnant());
    }

    /** Who asserted the potassium value, for the rules' reasons. */
    public String getPotassiumSource() {
        return said(provenance.potassium());
    }

    /** Who asserted the eGFR value the fall is measured to, for the rules' reasons. */
    public String getEgfrSource() {
        return said(provenance.egfrDropPercent());
    }

    /** Who reported the symptom, for the rules' reasons. */
    public String getHypotensionSymptomSource() {
        return said(provenance.hypotensionSymptom());
    }

    private static String said(String source) {
        return source == null ? "source not recorded" : source;
    }

    public boolean isCrisis() {
        return crisis;
    }

    public boolean isCrisisConfirmed() {
        return crisisConfirmed;
    }

    /** Mean systolic of the last three readings below 90 mm[Hg]. */
    public boolean isPersistentHypotension() {
        return !Double.isNaN(meanSystolicLastThree) && meanSystolicLastThree < 90;
    }

    /** The patient reported a symptom of low blood pressure recently. */
    public boolean isHypotensionSymptomReported() {
        return hypotensionSymptom != null;
    }

    public String getHypotensionSymptom() {
        return hypotensionSymptom;
    }

    public String getMeanSystolicLastThree() {
        return String.format(Locale.ROOT, "%.0f", meanSystolicLastThree);
    }

    public boolean isAutonomyEarned() {
        return autonomyEarned;
    }

    public int getApprovalsTowardAutonomy() {
        return approvalsTowardAutonomy;
    }

    public int getApprovalsRequired() {
        return approvalsRequired;
    }

    public double getDaysSinceLastAutoChange() {
        return daysSinceLastAutoChange;
    }

    public String getDaysSinceLastAutoChangeText() {
        return Double.isInfinite(daysSinceLastAutoChange) ? "never"
                : String.format(Locale.ROOT, "%.1f days ago", daysSinceLastAutoChange);
    }

    public int getAutoChangesLast30Days() {
        return autoChangesLast30Days;
    }

    public boolean isPregnant() {
        return pregnant;
    }

    public boolean isPotassiumHigh() {
        return potassiumHigh;
    }

    public double getPotassium() {
        return potassium;
    }

    public boolean isEgfrFalling() {
        return egfrFalling;
    }

    public double getEgfrDropPercent() {
        return egfrDropPercent;
    }

    /** Whether the bounds' spacing and monthly limits allow another automatic change. */
    public boolean allowsAnotherAutoChange(SafetyBounds b) {
        return daysSinceLastAutoChange >= b.minDaysBetweenAutoChanges() && autoChangesLast30Days < b.maxAutoChangesPer30Days();
    }
}
