package org.clinloop.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    // Rows of (DECREASE, HOLD, INCREASE) probabilities with the true direction.
    static final List<Map<Direction, Double>> P = List.of(
            p(0.10, 0.20, 0.70),  // INCREASE: top INCREASE .70, right
            p(0.60, 0.30, 0.10),  // HOLD:     top DECREASE .60, wrong
            p(0.05, 0.90, 0.05),  // HOLD:     top HOLD .90, right
            p(0.20, 0.15, 0.65)); // INCREASE: top INCREASE .65, right
    static final List<Direction> TRUTH = List.of(Direction.INCREASE, Direction.HOLD, Direction.HOLD, Direction.INCREASE);

    @Test
    void brierIsTheMeanSquaredDistanceFromTheOneHotTruth() {
        // Row 1: .1² + .2² + .3² = .01 + .04 + .09 = .14     Row 2: .6² + .7² + .1² = .36 + .49 + .01 = .86
        // Row 3: .05² + .1² + .05² = .0025 + .01 + .0025 = .015  Row 4: .2² + .15² + .35² = .04 + .0225 + .1225 = .185
        // Mean: (.14 + .86 + .015 + .185) / 4 = 1.2 / 4 = .3
        assertThat(Calibration.brier(P, TRUTH)).isCloseTo(0.3, within(1e-12));
        assertThat(Calibration.brier(List.of(p(1, 0, 0)), List.of(Direction.DECREASE))).isZero();
        assertThat(Calibration.brier(List.of(p(1 / 3.0, 1 / 3.0, 1 / 3.0)), List.of(Direction.HOLD)))
                .isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void eceWeighsEachConfidenceBinsGapByItsShare() {
        // Bin [.6, .7): .60 wrong and .65 right → accuracy .5, confidence .625, gap .125, share 2/4 → .0625
        // Bin [.7, .8): .70 right → gap .3, share 1/4 → .075
        // Bin [.9, 1]:  .90 right → gap .1, share 1/4 → .025
        // ECE = .0625 + .075 + .025 = .1625
        assertThat(Calibration.expectedCalibrationError(P, TRUTH, 10)).isCloseTo(0.1625, within(1e-12));
    }

    @Test
    void eceUsesTheProposedDirectionSoTiesGoToHold() {
        // HOLD and DECREASE tie at .45: the proposal is HOLD (Recommender.choose), which is right → gap .55.
        assertThat(Calibration.expectedCalibrationError(List.of(p(0.45, 0.45, 0.10)), List.of(Direction.HOLD), 10))
                .isCloseTo(0.55, within(1e-12));
        assertThat(Calibration.expectedCalibrationError(List.of(p(0, 0, 1)), List.of(Direction.INCREASE), 10)).isZero();
    }

    @Test
    void mismatchedInputsAreRefused() {
        assertThatThrownBy(() -> Calibration.brier(P, TRUTH.subList(0, 3)))
                .hasMessage("Expected as many probability rows as true directions (at least one), found 4 and 3.");
    }

    static Map<Direction, Double> p(double decrease, double hold, double increase) {
        Map<Direction, Double> m = new EnumMap<>(Direction.class);
        m.put(Direction.DECREASE, decrease);
        m.put(Direction.HOLD, hold);
        m.put(Direction.INCREASE, increase);
        return m;
    }
}
