package org.clinloop.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The COMPAS data in the Aequitas layout (shared test data) against values published for it:
 * ProPublica's false positive and false negative rates by race (44.8 % / 23.5 % and 28.0 % /
 * 47.7 %) and the disparities of the Aequitas COMPAS walkthrough with Caucasian as reference
 * (FPR 1.91, FNR 0.59, PPR 2.55, PPREV 1.69).
 */
class CompasKnownValuesTest {

    static FairnessReport report;

    @BeforeAll
    static void audit() throws IOException {
        Path csv = Path.of(System.getProperty("clinloop.shared.data", "../../shared/data"), "fairness",
                "compas_for_aequitas.csv");
        assertThat(csv).as("shared test data (system property clinloop.shared.data)").exists();
        try (Reader in = Files.newBufferedReader(csv)) {
            report = FairnessAudit.audit(AequitasCsv.read(in), AuditSettings.AEQUITAS_DEFAULTS.withReference(
                    ReferencePolicy.NAMED, Map.of("race", "Caucasian", "sex", "Male", "age_cat", "25 - 45")));
        }
    }

    @Test
    void theWholeFileIsRead() {
        assertThat(report.rows()).isEqualTo(7214);
        assertThat(report.k()).isEqualTo(3317);
    }

    @Test
    void proPublicasRatesByRace() {
        FairnessReport.GroupAudit black = FairnessAuditTest.group(report, "race", "African-American");
        FairnessReport.GroupAudit white = FairnessAuditTest.group(report, "race", "Caucasian");
        assertThat(black.metrics().get(Metric.FPR).value()).isCloseTo(0.448, within(0.001));
        assertThat(white.metrics().get(Metric.FPR).value()).isCloseTo(0.235, within(0.001));
        assertThat(black.metrics().get(Metric.FNR).value()).isCloseTo(0.280, within(0.001));
        assertThat(white.metrics().get(Metric.FNR).value()).isCloseTo(0.477, within(0.001));
    }

    @Test
    void aequitasDisparitiesAgainstCaucasian() {
        FairnessReport.GroupAudit black = FairnessAuditTest.group(report, "race", "African-American");
        assertThat(black.disparities().get(Metric.FPR).ratio()).isCloseTo(1.91, within(0.005));
        assertThat(black.disparities().get(Metric.FNR).ratio()).isCloseTo(0.59, within(0.005));
        assertThat(black.disparities().get(Metric.PPR).ratio()).isCloseTo(2.55, within(0.005));
        assertThat(black.disparities().get(Metric.PPREV).ratio()).isCloseTo(1.69, within(0.005));
        assertThat(black.disparities().get(Metric.FPR).significant()).isTrue();
        assertThat(black.parity().get(Parity.EQUALIZED_ODDS)).isFalse();
        assertThat(black.parity().get(Parity.SUPERVISED)).isFalse();
    }

    @Test
    void sexShowsNoFalsePositiveDisparity() {
        FairnessReport.GroupAudit female = FairnessAuditTest.group(report, "sex", "Female");
        assertThat(female.disparities().get(Metric.FPR).ratio()).isCloseTo(0.99, within(0.005));
        assertThat(female.parity().get(Parity.FPR)).isTrue();
        assertThat(female.disparities().get(Metric.FPR).significant()).isFalse();
        assertThat(female.parity().get(Parity.STATISTICAL)).isFalse(); // 0.22 of the predicted positives vs 0.82
    }
}
