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
    void heldOutMetricsArePerGroupToo() {
        List<GroupMetrics> groups = GroupMetrics.of(trained.metrics());
        assertThat(groups).extracting(GroupMetrics::name).contains("sex=female", "sex=male", "age_band=<45",
                "age_band=45-64", "age_band=65-74", "age_band=75+", "skin_tone=fitzpatrick_I-III",
                "skin_tone=fitzpatrick_IV-VI");
        assertThat(trained.metrics()).containsKeys("group.sex=female.accuracy", "group.sex=female.macro_f1",
                "group.sex=female.n", "group.sex=female.recall_increase", "group.sex=female.n_increase");
        for (String attribute : List.of(SyntheticCohort.SEX, SyntheticCohort.AGE_BAND, SyntheticCohort.SKIN_TONE)) {
            List<GroupMetrics> of = groups.stream().filter(g -> g.attribute().equals(attribute)).toList();
            // Each attribute partitions the held-out set, and its groups average to the overall figures.
            assertThat(of.stream().mapToLong(GroupMetrics::n).sum()).isEqualTo(600);
            assertThat(of.stream().mapToDouble(g -> g.n() * g.metrics().get("accuracy")).sum() / 600)
                    .isCloseTo(trained.metrics().get("accuracy"), within(1e-12));
            for (Direction d : Direction.values()) {
                String recall = "recall_" + d.name().toLowerCase();
                String n = "n_" + d.name().toLowerCase();
                assertThat(of.stream().mapToDouble(g -> g.metrics().get(n)).sum()).isEqualTo(trained.metrics().get(n));
                assertThat(of.stream().mapToDouble(g -> g.metrics().get(n) * g.metrics().get(recall)).sum()
                        / trained.metrics().get(n)).isCloseTo(trained.metrics().get(recall), within(1e-12));
            }
        }
    }

    @Test
    void groupMacroF1IsTribuosDefinitionAppliedToTheGroup() {
        List<SyntheticCohort.Example> heldOut = ModelTrainer.split(cohort, SEED).heldOut();
        TitrationModel model = asModel(trained.model());
        List<Direction> truth = heldOut.stream().map(SyntheticCohort.Example::label).toList();
        List<Direction> predicted = heldOut.stream().map(e -> argmax(model.probabilities(e.features()))).toList();
        Map<String, Double> all = ModelTrainer.classification(truth, predicted);
        assertThat(all.get("accuracy")).isCloseTo(trained.metrics().get("accuracy"), within(1e-12));
        assertThat(all.get("macro_f1")).isCloseTo(trained.metrics().get("macro_f1"), within(1e-12));
        // A group missing a direction: its recall is absent (not NaN), macro-F1 averages the directions present.
        Map<String, Double> small = ModelTrainer.classification(List.of(Direction.HOLD, Direction.HOLD, Direction.INCREASE),
                List.of(Direction.HOLD, Direction.INCREASE, Direction.INCREASE));
        assertThat(small).containsEntry("n", 3.0).containsEntry("n_decrease", 0.0).doesNotContainKey("recall_decrease")
                .containsEntry("recall_hold", 0.5).containsEntry("recall_increase", 1.0);
        assertThat(small.get("macro_f1")).isCloseTo((2.0 / 3 + 2.0 / 3) / 2, within(1e-12));
    }

    static Direction argmax(Map<Direction, Double> p) {
        return p.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
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
