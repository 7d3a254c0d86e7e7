package org.clinloop.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {

    static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");

    static BloodPressureReading at(String when, double sys, double dia) {
        return new BloodPressureReading(null, Instant.parse(when), sys, dia);
    }

    @Test
    void windowMeansLastReadingShareAboveTargetAndSlope() {
        PatientSnapshot s = new PatientSnapshot("p", NOW, List.of(
                at("2026-11-01T08:00:00Z", 190, 110), // outside the 7-day window
                at("2026-11-14T08:00:00Z", 140, 90),
                at("2026-11-16T08:00:00Z", 130, 84),
                at("2026-11-18T08:00:00Z", 120, 76)), 2, 4);

        TitrationFeatures f = FeatureExtractor.extract(s);

        assertThat(f.value(FeatureExtractor.SBP_MEAN_7D)).isEqualTo(130.0);
        assertThat(f.value(FeatureExtractor.DBP_MEAN_7D)).isCloseTo(83.333, within(1e-3));
        assertThat(f.value(FeatureExtractor.SBP_LAST)).isEqualTo(120.0);
        assertThat(f.value(FeatureExtractor.READINGS_7D)).isEqualTo(3.0);
        assertThat(f.value(FeatureExtractor.SHARE_ABOVE_TARGET_7D)).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(f.value(FeatureExtractor.SBP_SLOPE_7D)).isCloseTo(-5.0, within(1e-9));
        assertThat(f.missing()).isEmpty();
        assertThat(f.value(FeatureExtractor.DOSE_AT_MAX)).isZero();
    }

    @Test
    void aTrendFromOneReadingIsMissingNotZero() {
        PatientSnapshot s = new PatientSnapshot("p", NOW, List.of(at("2026-11-19T08:00:00Z", 150, 95)), 4, 4);

        TitrationFeatures f = FeatureExtractor.extract(s);

        assertThat(f.missing()).containsExactly(FeatureExtractor.SBP_SLOPE_7D);
        assertThat(f.value(FeatureExtractor.SBP_SLOPE_MISSING)).isEqualTo(1.0);
        assertThat(f.value(FeatureExtractor.DOSE_AT_MAX)).isEqualTo(1.0);
    }

    @Test
    void readingsAfterTheDecisionAreNotSeen() {
        PatientSnapshot s = new PatientSnapshot("p", NOW, List.of(
                at("2026-11-19T08:00:00Z", 150, 95), at("2026-11-21T08:00:00Z", 200, 130)), 1, 4);
        assertThat(s.latest().systolic()).isEqualTo(150.0);
    }
}
