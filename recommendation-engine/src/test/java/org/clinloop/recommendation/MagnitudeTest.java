package org.clinloop.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How many ladder steps: the guideline's rule, the step classifier, and what a proposal carries. */
class MagnitudeTest {

    static final long SEED = 20261123L;
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    static List<SyntheticCohort.Example> cohort;
    static TrainedModel trained;
    static TitrationModel model;

    @BeforeAll
    static void train() {
        cohort = SyntheticCohort.generate(SEED, 4000, 0.03);
        trained = ModelTrainer.train(cohort, SEED, "cohort");
        model = new TitrationModel(trained.model(), trained.magnitude(), new ModelVersion("m", trained.algorithm(),
                ModelStatus.CANDIDATE, trained.provenanceHash(), trained.datasetHash(), SEED, trained.trainedAt(),
                trained.metrics(), null, null));
    }

    /** A week of twice-daily daytime readings at one level, at a dose step. */
    static PatientSnapshot week(double sbp, double dbp, int step) {
        List<BloodPressureReading> readings = new ArrayList<>();
        for (int d = 7; d >= 1; d--) {
            readings.add(new BloodPressureReading("m" + d, NOW.minus(Duration.ofDays(d)).minus(Duration.ofHours(4)),
                    sbp + (d % 2), dbp));
            readings.add(new BloodPressureReading("e" + d, NOW.minus(Duration.ofDays(d)).plus(Duration.ofHours(7)),
                    sbp - (d % 2), dbp));
        }
        return new PatientSnapshot("p", NOW, readings, step, 4);
    }

    @Test
    void theGuidelineMovesTwoStepsOnlyFarFromTargetAndWithLadderToGo() {
        assertThat(TitrationPolicy.decide(FeatureExtractor.extract(week(158, 92, 1))))
                .isEqualTo(new TitrationPolicy.Decision(Direction.INCREASE, 2));
        assertThat(TitrationPolicy.decide(FeatureExtractor.extract(week(158, 92, 3))))
                .as("one step left").isEqualTo(new TitrationPolicy.Decision(Direction.INCREASE, 1));
        assertThat(TitrationPolicy.decide(FeatureExtractor.extract(week(140, 86, 1))))
                .isEqualTo(new TitrationPolicy.Decision(Direction.INCREASE, 1));
        assertThat(TitrationPolicy.decide(FeatureExtractor.extract(week(90, 55, 3))))
                .isEqualTo(new TitrationPolicy.Decision(Direction.DECREASE, 2));
        assertThat(TitrationPolicy.decide(FeatureExtractor.extract(week(90, 55, 1))))
                .as("one step above the lowest").isEqualTo(new TitrationPolicy.Decision(Direction.DECREASE, 1));
        assertThat(TitrationPolicy.decide(FeatureExtractor.extract(week(122, 76, 2))))
                .isEqualTo(new TitrationPolicy.Decision(Direction.HOLD, 0));
        assertThatThrownBy(() -> new TitrationPolicy.Decision(Direction.INCREASE, 3)).hasMessageContaining("1..2");
        assertThatThrownBy(() -> new TitrationPolicy.Decision(Direction.HOLD, 1)).hasMessageContaining("0 steps");
    }

    @Test
    void theCohortHasTwoStepChangesEachWay() {
        long upTwo = cohort.stream().filter(e -> e.label() == Direction.INCREASE && e.steps() == 2).count();
        long downTwo = cohort.stream().filter(e -> e.label() == Direction.DECREASE && e.steps() == 2).count();
        System.out.printf("cohort: %d two-step increases, %d two-step decreases of %d%n", upTwo, downTwo,
                cohort.size());
        assertThat(upTwo).isGreaterThan(100);
        assertThat(downTwo).isGreaterThan(20);
        assertThat(cohort).allSatisfy(e -> assertThat(e.steps()).isEqualTo(e.label() == Direction.HOLD ? 0
                : e.steps()).isBetween(0, 2));
    }

    @Test
    void theStepClassifierSizesHeldOutChanges() {
        Map<String, Double> m = trained.metrics();
        System.out.printf("magnitude: accuracy %.3f on %.0f held-out changes, recall of two steps %.3f (n %.0f)%n",
                m.get("magnitude_accuracy"), m.get("magnitude_n"), m.get("magnitude_recall_two"),
                m.get("magnitude_n_two"));
        assertThat(m.get("magnitude_n")).isGreaterThan(200);
        assertThat(m.get("magnitude_accuracy")).isGreaterThan(0.8);
        assertThat(m.get("magnitude_recall_two")).isGreaterThan(0.6);
    }

    @Test
    void aProposalCarriesItsStepsAndSaysThem() {
        Recommendation far = Recommender.recommend(model, week(162, 98, 1));
        assertThat(far.direction()).isEqualTo(Direction.INCREASE);
        assertThat(far.steps()).isEqualTo(2);
        assertThat(far.stepChange()).isEqualTo(2);
        assertThat(far.rationale()).contains("increase two steps");
        Recommendation near = Recommender.recommend(model, week(139, 84, 1));
        assertThat(near.direction()).isEqualTo(Direction.INCREASE);
        assertThat(near.steps()).isEqualTo(1);
        assertThat(near.rationale()).contains("increase one step");
        Recommendation hold = Recommender.recommend(model, week(121, 75, 2));
        assertThat(hold.steps()).isZero();
        // A version without a step classifier proposes one step.
        TitrationModel directionOnly = new TitrationModel(trained.model(), model.version());
        assertThat(Recommender.recommend(directionOnly, week(162, 98, 1)).steps()).isEqualTo(1);
    }

    @Test
    void theStepClassifierReproducesFromTheSameSeed() {
        TrainedModel again = ModelTrainer.train(cohort, SEED, "cohort");
        for (SyntheticCohort.Example e : cohort.subList(0, 300)) {
            if (e.label() == Direction.HOLD) {
                continue;
            }
            var a = trained.magnitude().predict(TitrationModel.magnitudeExample(e.features(), e.label()));
            var b = again.magnitude().predict(TitrationModel.magnitudeExample(e.features(), e.label()));
            a.getOutputScores().forEach((label, score) -> assertThat(b.getOutputScores().get(label).getScore())
                    .isCloseTo(score.getScore(), org.assertj.core.api.Assertions.within(1e-9)));
        }
        assertThat(ModelTrainer.provenanceHashWithoutTimes(again.provenanceJson()))
                .isEqualTo(ModelTrainer.provenanceHashWithoutTimes(trained.provenanceJson()));
        // The stored provenance covers both classifiers: direction, then steps.
        assertThat(trained.provenanceJson().split("changes\\)", -1).length).isGreaterThan(1);
    }
}
