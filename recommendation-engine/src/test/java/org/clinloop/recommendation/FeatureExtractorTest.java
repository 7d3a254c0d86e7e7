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
        // Over 30 days the reading of 1 November counts too.
        assertThat(f.value(FeatureExtractor.SBP_MEAN_30D)).isEqualTo(145.0);
        assertThat(f.value(FeatureExtractor.SBP_SD_7D)).isCloseTo(10.0, within(1e-9));
        // No night readings and no signals: each unknown, none taken as 0.
        assertThat(f.missing()).containsExactlyInAnyOrder(FeatureExtractor.NIGHT_DIP_7D, FeatureExtractor.ADHERENCE_7D,
                FeatureExtractor.HEART_RATE_7D, FeatureExtractor.STEPS_7D, FeatureExtractor.AGE, FeatureExtractor.EGFR,
                FeatureExtractor.POTASSIUM);
        assertThat(f.value(FeatureExtractor.AGE + FeatureExtractor.MISSING)).isEqualTo(1.0);
        assertThat(f.value(FeatureExtractor.DRUG_CLASS_CCB)).as("an ACE inhibitor by default").isZero();
        PatientSnapshot onCcb = new PatientSnapshot("p", NOW, s.readings(), 2, 4, PatientSignals.UNKNOWN,
                DrugClass.CALCIUM_CHANNEL_BLOCKER);
        assertThat(FeatureExtractor.extract(onCcb).value(FeatureExtractor.DRUG_CLASS_CCB)).isEqualTo(1.0);
        assertThat(f.value(FeatureExtractor.DOSE_AT_MAX)).isZero();
    }

    @Test
    void aTrendFromOneReadingIsMissingNotZero() {
        PatientSnapshot s = new PatientSnapshot("p", NOW, List.of(at("2026-11-19T08:00:00Z", 150, 95)), 4, 4);

        TitrationFeatures f = FeatureExtractor.extract(s);

        assertThat(f.missing()).contains(FeatureExtractor.SBP_SLOPE_7D, FeatureExtractor.SBP_SD_7D);
        assertThat(f.value(FeatureExtractor.SBP_SLOPE_MISSING)).isEqualTo(1.0);
        assertThat(FeatureExtractor.modelInput(f)[FeatureExtractor.FEATURE_NAMES.indexOf(FeatureExtractor.SBP_SLOPE_7D)])
                .isZero();
        assertThat(f.value(FeatureExtractor.DOSE_AT_MAX)).isEqualTo(1.0);
    }

    @Test
    void nightReadingsGiveTheDipAndStayOutOfTheDaytimeLevel() {
        PatientSnapshot s = new PatientSnapshot("p", NOW, List.of(
                at("2026-11-16T08:00:00Z", 150, 90), at("2026-11-17T08:00:00Z", 150, 90),
                at("2026-11-17T20:00:00Z", 150, 90),
                at("2026-11-18T02:00:00Z", 120, 70), at("2026-11-19T02:30:00Z", 126, 72)), 2, 4,
                new PatientSignals(java.time.ZoneOffset.UTC, 67.0, 6 / 7.0, 71.0, 5400.0, 58.0, 4.9));
        TitrationFeatures f = FeatureExtractor.extract(s);
        assertThat(f.value(FeatureExtractor.SBP_MEAN_7D)).as("daytime only").isEqualTo(150.0);
        assertThat(f.value(FeatureExtractor.NIGHT_DIP_7D)).isCloseTo(100 * (150 - 123) / 150.0, within(1e-9));
        assertThat(f.value(FeatureExtractor.SBP_LAST)).as("the latest, night or not").isEqualTo(126.0);
        assertThat(f.missing()).isEmpty();
        assertThat(f.value(FeatureExtractor.ADHERENCE_7D)).isCloseTo(6 / 7.0, within(1e-12));
        assertThat(f.value(FeatureExtractor.EGFR)).isEqualTo(58.0);
        // The same readings in New York (UTC-5): 08:00 UTC is 03:00 there, night; 02:00 UTC is 21:00, day.
        TitrationFeatures ny = FeatureExtractor.extract(new PatientSnapshot("p", NOW, s.readings(), 2, 4,
                new PatientSignals(java.time.ZoneId.of("America/New_York"), null, null, null, null, null, null)));
        assertThat(ny.value(FeatureExtractor.SBP_MEAN_7D)).isEqualTo((150 + 120 + 126) / 3.0);
        assertThat(ny.value(FeatureExtractor.NIGHT_DIP_7D)).isCloseTo(100 * (132 - 150) / 132.0, within(1e-9));
    }

    @Test
    void readingsAfterTheDecisionAreNotSeen() {
        PatientSnapshot s = new PatientSnapshot("p", NOW, List.of(
                at("2026-11-19T08:00:00Z", 150, 95), at("2026-11-21T08:00:00Z", 200, 130)), 1, 4);
        assertThat(s.latest().systolic()).isEqualTo(150.0);
    }
}
