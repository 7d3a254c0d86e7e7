package org.clinloop.approval;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.clinloop.recommendation.DrugClass;

/**
 * Hard limits of a titration protocol: no clinician bound, no approval and no modification can
 * take a patient outside them (like the hard limits of insulin-dosing systems under the user's
 * settings).
 *
 * @param protocol          protocol id, e.g. "hypertension-acei-v1"
 * @param ladder            the only doses this protocol may deliver
 * @param maxAutoStepsLimit the largest step any bounds may let the system apply on its own
 * @param systolicFloorMin  the lowest systolic floor any bounds may set, mm[Hg]
 * @param minConfidenceMin  the lowest model confidence any bounds may accept for autonomy
 * @param minDaysBetweenAutoChangesMin the fewest days any bounds may allow between automatic changes
 * @param maxAutoChangesPer30DaysLimit the most automatic changes any bounds may allow in 30 days
 * @param crisisConfirmation a crisis reading is confirmed by another within this time
 * @param potassiumMax      no increase above this serum potassium, mmol/L (ACE inhibitors raise it)
 * @param egfrDropMaxPercent no increase when eGFR fell more than this, percent of its baseline
 * @param drugClass         the class of the ladder's drug, a model input
 */
public record ProtocolLimits(String protocol, DoseLadder ladder, int maxAutoStepsLimit, double systolicFloorMin,
                             double minConfidenceMin, int minDaysBetweenAutoChangesMin, int maxAutoChangesPer30DaysLimit,
                             java.time.Duration crisisConfirmation, double potassiumMax, double egfrDropMaxPercent,
                             DrugClass drugClass) {

    /** Lisinopril 2.5–40 mg daily, one step at a time on its own, never below a floor of 90 mm[Hg]. */
    public static final ProtocolLimits HYPERTENSION_ACEI = new ProtocolLimits("hypertension-acei-v1",
            new DoseLadder("lisinopril", "29046", "mg", List.of(new BigDecimal("2.5"), new BigDecimal("5"),
                    new BigDecimal("10"), new BigDecimal("20"), new BigDecimal("40"))),
            1, 90, 0.5, 3, 4, java.time.Duration.ofMinutes(30), 5.5, 30, DrugClass.ACE_INHIBITOR);

    public ProtocolLimits {
        Objects.requireNonNull(protocol, "Protocol id is required.");
        Objects.requireNonNull(ladder, "Dose ladder is required.");
        Objects.requireNonNull(drugClass, "Drug class is required.");
    }

    /** Whether a dose step may ever be delivered under this protocol. */
    public boolean allows(int step) {
        return ladder.contains(step);
    }

    /** The ways {@code bounds} leave these limits, each "expected … found …"; empty when inside. */
    public List<String> violations(SafetyBounds bounds) {
        List<String> out = new ArrayList<>();
        if (!bounds.protocol().equals(protocol)) {
            out.add("expected protocol " + protocol + ", found " + bounds.protocol());
        }
        if (!ladder.contains(bounds.lowestStep()) || !ladder.contains(bounds.highestStep())
                || bounds.lowestStep() > bounds.highestStep()) {
            out.add("expected 0 <= lowestStep <= highestStep <= " + ladder.highestStep() + ", found "
                    + bounds.lowestStep() + ".." + bounds.highestStep());
        }
        if (bounds.maxAutoSteps() < 0 || bounds.maxAutoSteps() > maxAutoStepsLimit) {
            out.add("expected maxAutoSteps 0.." + maxAutoStepsLimit + ", found " + bounds.maxAutoSteps());
        }
        if (!(bounds.systolicFloor() >= systolicFloorMin) || bounds.systolicFloor() > 200) {
            out.add("expected systolicFloor " + systolicFloorMin + "..200 mm[Hg], found " + bounds.systolicFloor());
        }
        if (!(bounds.minConfidence() >= minConfidenceMin) || bounds.minConfidence() > 1) {
            out.add("expected minConfidence " + minConfidenceMin + "..1, found " + bounds.minConfidence());
        }
        if (bounds.minDaysBetweenAutoChanges() < minDaysBetweenAutoChangesMin || bounds.minDaysBetweenAutoChanges() > 365) {
            out.add("expected minDaysBetweenAutoChanges " + minDaysBetweenAutoChangesMin + "..365, found "
                    + bounds.minDaysBetweenAutoChanges());
        }
        if (bounds.maxAutoChangesPer30Days() < 0 || bounds.maxAutoChangesPer30Days() > maxAutoChangesPer30DaysLimit) {
            out.add("expected maxAutoChangesPer30Days 0.." + maxAutoChangesPer30DaysLimit + ", found "
                    + bounds.maxAutoChangesPer30Days());
        }
        return out;
    }
}
