package org.clinloop.approval;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The doses a protocol allows for one drug, lowest first; a titration step moves one rung.
 *
 * @param drug      display name, e.g. "lisinopril"
 * @param rxNormCode RxNorm ingredient code, e.g. 29046 for lisinopril
 * @param unit      UCUM unit of the daily dose, e.g. "mg"
 * @param doses     daily doses, strictly increasing
 */
public record DoseLadder(String drug, String rxNormCode, String unit, List<BigDecimal> doses) {

    public DoseLadder {
        Objects.requireNonNull(drug, "Drug is required.");
        Objects.requireNonNull(unit, "Dose unit is required.");
        doses = List.copyOf(doses);
        if (doses.isEmpty()) {
            throw new IllegalArgumentException("A dose ladder needs at least one dose.");
        }
        for (int i = 1; i < doses.size(); i++) {
            if (doses.get(i).compareTo(doses.get(i - 1)) <= 0) {
                throw new IllegalArgumentException("Expected strictly increasing doses, found " + doses + ".");
            }
        }
    }

    public int highestStep() {
        return doses.size() - 1;
    }

    public boolean contains(int step) {
        return step >= 0 && step <= highestStep();
    }

    public BigDecimal dose(int step) {
        if (!contains(step)) {
            throw new IllegalArgumentException("Expected a step 0.." + highestStep() + ", found " + step + ".");
        }
        return doses.get(step);
    }

    /** The rung of this daily dose (compared by value: 10 equals 10.0), if it is on the ladder. */
    public java.util.OptionalInt stepOf(BigDecimal dailyDose) {
        for (int i = 0; i < doses.size(); i++) {
            if (doses.get(i).compareTo(dailyDose) == 0) {
                return java.util.OptionalInt.of(i);
            }
        }
        return java.util.OptionalInt.empty();
    }

    /** "lisinopril 10 mg daily". */
    public String describe(int step) {
        return drug + " " + dose(step).stripTrailingZeros().toPlainString() + " " + unit + " daily";
    }
}
