package org.clinloop.recommendation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gates on models trained as the service trains them (4,000 patients): the bootstrap model
 * passes, retraining on another seed passes against it, and a cohort whose wrist device misreads
 * one group yields a model the group gate refuses, naming the group.
 */
class PromotionGatesOnCohortsTest {

    static final long BOOTSTRAP = 20261123L;
    static ModelVersion plain;
    static ModelVersion biased;

    @BeforeAll
    static void train() {
        plain = version("titration-lr-1", ModelTrainer.train(
                SyntheticCohort.generate(BOOTSTRAP, ModelTraining.COHORT, ModelTraining.LABEL_NOISE), BOOTSTRAP, "plain"));
        biased = version("titration-lr-2", ModelTrainer.train(SyntheticCohort.generate(BOOTSTRAP, ModelTraining.COHORT,
                ModelTraining.LABEL_NOISE, SyntheticCohort.MeasurementBias.WRIST_PPG_DARKER_SKIN), BOOTSTRAP, "biased"));
    }

    static ModelVersion version(String id, TrainedModel t) {
        return new ModelVersion(id, t.algorithm(), ModelStatus.CANDIDATE, t.provenanceHash(), t.datasetHash(), t.seed(),
                t.trainedAt(), t.metrics(), null, null);
    }

    static double metric(ModelVersion v, String group, String metric) {
        return v.metrics().get(GroupMetrics.PREFIX + group + "." + metric);
    }

    @Test
    void theBootstrapModelPassesAndARetrainingOnTheSeedsOfModelLifecycleITPassesAgainstIt() {
        assertThat(PromotionGates.DEFAULT.failures(plain)).isEmpty();
        for (long seed : new long[] {4101, 4102}) {
            ModelVersion other = version("titration-lr-" + seed, ModelTrainer.train(
                    SyntheticCohort.generate(seed, ModelTraining.COHORT, ModelTraining.LABEL_NOISE), seed, "other"));
            assertThat(PromotionGates.DEFAULT.failures(other, Optional.of(plain))).as("seed " + seed).isEmpty();
        }
    }

    @Test
    void theBiasMakesTheAffectedGroupMeasurablyWorse() {
        String dark = "skin_tone=" + SyntheticCohort.FITZPATRICK_IV_VI;
        String light = "skin_tone=" + SyntheticCohort.FITZPATRICK_I_III;
        // Uncontrolled blood pressure missed: the increases the guideline calls for in the affected group.
        assertThat(metric(biased, dark, "recall_increase")).isLessThan(metric(plain, dark, "recall_increase") - 0.1)
                .isLessThan(metric(biased, light, "recall_increase") - 0.1);
        assertThat(metric(biased, dark, "accuracy")).isLessThan(metric(plain, dark, "accuracy") - 0.03);
        // Overall the model still clears every floor: only the group gates see the harm.
        assertThat(biased.metrics().get("accuracy")).isGreaterThan(PromotionGates.DEFAULT.minAccuracy());
        assertThat(biased.metrics().get("recall_increase")).isGreaterThan(0.85);
    }

    @Test
    void theGroupGateRefusesTheBiasedModelNamingTheGroup() {
        assertThat(PromotionGates.DEFAULT.failures(biased)).anySatisfy(f -> assertThat(f)
                .startsWith("expected group skin_tone=fitzpatrick_IV-VI recall_increase >= ")
                .contains("(overall "));
        // Against the plain model ACTIVE: still refused, and the gap names the affected group; the
        // regression check alone is less sure (two held-out samples of some 85 increases each).
        assertThat(PromotionGates.DEFAULT.failures(biased, Optional.of(plain))).anySatisfy(f -> assertThat(f)
                .startsWith("expected group skin_tone=fitzpatrick_IV-VI recall_increase >= ")
                .contains("(overall "));
        assertThat(PromotionGates.DEFAULT.failures(plain, Optional.of(plain))).isEmpty();
        assertThat(Map.copyOf(plain.metrics())).containsKey("group.skin_tone=fitzpatrick_IV-VI.n");
    }
}
