package org.clinloop.approval.internal;

import java.util.Locale;

/** Drools fact: the reading that triggered the evaluation. */
public final class ReadingFact {

    private final double systolic;
    private final double diastolic;

    public ReadingFact(double systolic, double diastolic) {
        this.systolic = systolic;
        this.diastolic = diastolic;
    }

    public double getSystolic() {
        return systolic;
    }

    public double getDiastolic() {
        return diastolic;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%.0f/%.0f mm[Hg]", systolic, diastolic);
    }
}
