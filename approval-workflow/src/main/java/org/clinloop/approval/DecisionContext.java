package org.clinloop.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.clinloop.recommendation.BloodPressureReading;

/**
 * Everything besides the proposal and the bounds that the safety rules weigh.
 *
 * @param reading  the reading that triggered the decision
 * @param recent   the patient's recent readings, any order (the trigger included or not)
 * @param autonomy how far the patient has come toward automatic delivery
 * @param changes  the automatic changes already made
 * @param clinical pregnancy, potassium and kidney function, where known
 * @param now      when the decision is made
 */
public record DecisionContext(BloodPressureReading reading, List<BloodPressureReading> recent, AutonomyState autonomy,
                              AutoChangeHistory changes, ClinicalContext clinical, Instant now) {

    public DecisionContext {
        Objects.requireNonNull(reading, "The triggering reading is required.");
        recent = recent.stream().sorted(Comparator.comparing(BloodPressureReading::effective)).toList();
        Objects.requireNonNull(autonomy, "Autonomy state is required.");
        Objects.requireNonNull(changes, "Automatic change history is required.");
        Objects.requireNonNull(clinical, "Clinical context is required (use ClinicalContext.UNKNOWN).");
        Objects.requireNonNull(now, "Decision time is required.");
    }

    /** A context with nothing known beyond the reading: autonomy not earned, no history. */
    public static DecisionContext readingOnly(BloodPressureReading reading) {
        return new DecisionContext(reading, List.of(reading), AutonomyState.NEW, AutoChangeHistory.NONE,
                ClinicalContext.UNKNOWN, reading.effective());
    }

    /** Whether another crisis reading lies within {@code window} of the trigger (either side). */
    public boolean crisisConfirmed(Duration window) {
        return reading.isHypertensiveCrisis() && recent.stream().anyMatch(r -> !r.equals(reading)
                && r.isHypertensiveCrisis()
                && Duration.between(r.effective(), reading.effective()).abs().compareTo(window) <= 0);
    }

    /** Mean systolic of the last three readings up to the trigger, or NaN with fewer than three. */
    public double meanSystolicOfLastThree() {
        List<BloodPressureReading> upTo = recent.stream().filter(r -> !r.effective().isAfter(reading.effective())).toList();
        if (upTo.size() < 3) {
            return Double.NaN;
        }
        return upTo.subList(upTo.size() - 3, upTo.size()).stream().mapToDouble(BloodPressureReading::systolic)
                .average().orElseThrow();
    }

    /**
     * The readings the rules look at besides the trigger: every one within {@code window} of it
     * (crisis confirmation) and the last three up to it (persistent hypotension). Recorded with
     * each decision so that it can be replayed.
     */
    public List<BloodPressureReading> relevantReadings(Duration window) {
        List<BloodPressureReading> upTo = recent.stream().filter(r -> !r.effective().isAfter(reading.effective())).toList();
        java.util.LinkedHashSet<BloodPressureReading> out = new java.util.LinkedHashSet<>(
                upTo.subList(Math.max(0, upTo.size() - 3), upTo.size()));
        recent.stream().filter(r -> Duration.between(r.effective(), reading.effective()).abs().compareTo(window) <= 0)
                .forEach(out::add);
        out.add(reading);
        return out.stream().sorted(Comparator.comparing(BloodPressureReading::effective)).toList();
    }

    /** Days since the last automatic change, or +∞ when there was none. */
    public double daysSinceLastAutoChange() {
        return changes.lastAutoChange() == null ? Double.POSITIVE_INFINITY
                : Duration.between(changes.lastAutoChange(), now).toMinutes() / 1440.0;
    }
}
