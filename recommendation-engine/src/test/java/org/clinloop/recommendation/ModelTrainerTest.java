package org.clinloop.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.classification.Label;

class ModelTrainerTest {

    static final long SEED = 20261123L;
    static List<SyntheticCohort.Example> cohort;
    static TrainedModel trained;

    @BeforeAll
    static void train() {
        cohort = SyntheticCohort.generate(SEED, 3000, 0.03);
        trained = ModelTrainer.train(cohort, SEED, "test cohort");
    }

    static TitrationModel asModel(Model<Label> model) {
        return new TitrationModel(model, new ModelVersion("test", "lr", ModelStatus.CANDIDATE, "p", "d", SEED,
                trained.trainedAt(), Map.of(), null, null));
    }

    @Test
    void theCohortIsTheSameForTheSameSeedAndDiffersOtherwise() {
        assertThat(ModelTrainer.datasetHash(SyntheticCohort.generate(SEED, 3000, 0.03)))
                .isEqualTo(trained.datasetHash());
        assertThat(ModelTrainer.datasetHash(SyntheticCohort.generate(SEED + 1, 3000, 0.03)))
                .isNotEqualTo(trained.datasetHash());
    }

    @Test
    void theCohortHasEveryDirection() {
        Map<Direction, Long> counts = cohort.stream().collect(java.util.stream.Collectors.groupingBy(
                SyntheticCohort.Example::label, java.util.stream.Collectors.counting()));
        assertThat(counts.keySet()).containsExactlyInAnyOrder(Direction.values());
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isGreaterThan(100));
    }

    @Test
    void heldOutMetricsPassTheDefaultGates() {
        assertThat(trained.metrics().get("accuracy")).isGreaterThan(0.85);
        ModelVersion v = new ModelVersion("t", "lr", ModelStatus.CANDIDATE, "p", "d", SEED, trained.trainedAt(),
                trained.metrics(), null, null);
        assertThat(PromotionGates.DEFAULT.failures(v)).isEmpty();
    }

    @Test
    void heldOutMetricsIncludeCalibration() {
        assertThat(trained.metrics()).containsKeys("accuracy", "macro_f1", "brier", "ece", "precision_hold",
                "recall_decrease", "held_out", "trained_on");
        assertThat(trained.metrics().get("held_out")).isEqualTo(600.0);
        assertThat(trained.metrics().get("brier")).isBetween(0.0, 0.2);
        assertThat(trained.metrics().get("ece")).isBetween(0.0, 0.1);
        assertThat(trained.algorithm()).isEqualTo("LinearSGDTrainer(LogMulticlass, AdaGrad(0.5, 0.1), epochs=15)");
    }

    @Test
    void provenanceNamesTheTrainerAndTheSeed() {
        assertThat(trained.provenanceJson()).contains("LinearSGDTrainer").contains(String.valueOf(SEED));
        assertThat(trained.provenanceHash()).hasSize(64);
    }

    @Test
    void aSerializedModelPredictsExactlyTheSame() {
        @SuppressWarnings("unchecked")
        Model<Label> back = (Model<Label>) Model.deserialize(trained.model().serialize());
        for (SyntheticCohort.Example e : cohort.subList(0, 200)) {
            Map<Direction, Double> a = asModel(trained.model()).probabilities(e.features());
            Map<Direction, Double> b = asModel(back).probabilities(e.features());
            for (Direction d : Direction.values()) {
                assertThat(b.get(d)).isCloseTo(a.get(d), within(1e-12));
            }
        }
    }

    @Test
    void retrainingWithTheSameSeedReproducesPredictions() {
        TrainedModel again = ModelTrainer.train(SyntheticCohort.generate(SEED, 3000, 0.03), SEED, "test cohort");
        for (SyntheticCohort.Example e : cohort.subList(0, 300)) {
            Map<Direction, Double> a = asModel(trained.model()).probabilities(e.features());
            Map<Direction, Double> b = asModel(again.model()).probabilities(e.features());
            for (Direction d : Direction.values()) {
                assertThat(b.get(d)).isCloseTo(a.get(d), within(1e-9));
            }
        }
    }

    @Test
    void proposesAnIncreaseWellAboveTargetAndADecreaseWhenLow() {
        TitrationModel model = asModel(trained.model());
        PatientSnapshot high = new PatientSnapshot("p", FeatureExtractorTest.NOW, List.of(
                FeatureExtractorTest.at("2026-11-17T08:00:00Z", 158, 98),
                FeatureExtractorTest.at("2026-11-18T08:00:00Z", 162, 99),
                FeatureExtractorTest.at("2026-11-19T08:00:00Z", 155, 96)), 1, 4);
        PatientSnapshot low = new PatientSnapshot("p", FeatureExtractorTest.NOW, List.of(
                FeatureExtractorTest.at("2026-11-17T08:00:00Z", 98, 60),
                FeatureExtractorTest.at("2026-11-18T08:00:00Z", 96, 58),
                FeatureExtractorTest.at("2026-11-19T08:00:00Z", 92, 57)), 3, 4);

        Recommendation up = Recommender.recommend(model, high);
        Recommendation down = Recommender.recommend(model, low);

        assertThat(up.direction()).isEqualTo(Direction.INCREASE);
        assertThat(up.stepChange()).isEqualTo(1);
        assertThat(up.rationale()).contains("7-day mean 158/98").contains("increase one step");
        assertThat(up.inputHash()).isEqualTo(Recommender.inputHash(high));
        assertThat(down.direction()).isEqualTo(Direction.DECREASE);
    }
}
