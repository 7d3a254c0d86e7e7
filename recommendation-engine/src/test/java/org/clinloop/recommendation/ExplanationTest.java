package org.clinloop.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;

class ExplanationTest {

    static final long SEED = ModelTrainerTest.SEED;
    static List<SyntheticCohort.Example> heldOut;
    static TitrationModel linear;

    @BeforeAll
    static void train() {
        List<SyntheticCohort.Example> cohort = SyntheticCohort.generate(SEED, 3000, 0.03);
        heldOut = ModelTrainer.split(cohort, SEED).heldOut();
        linear = model(ModelTrainer.train(cohort, SEED, "explanation test"));
    }

    @Test
    void linearContributionsAddUpExactlyToTheLogOddsOfTheProposalOverTheRunnerUp() {
        for (SyntheticCohort.Example e : heldOut) {
            Map<Direction, Double> p = linear.probabilities(e.features());
            Explanation x = linear.explain(e.features());

            assertThat(x.method()).isEqualTo(Explanation.Method.EXACT_LINEAR);
            assertThat(x.direction()).isEqualTo(Recommender.choose(p));
            assertThat(p.get(x.against())).isEqualTo(List.of(Direction.values()).stream()
                    .filter(d -> d != x.direction()).mapToDouble(p::get).max().orElseThrow());
            assertThat(x.margin()).isCloseTo(Math.log(p.get(x.direction()) / p.get(x.against())), within(1e-9));
            assertThat(x.contributions()).extracting(Explanation.Contribution::feature)
                    .containsExactlyInAnyOrderElementsOf(FeatureExtractor.FEATURE_NAMES);
            assertThat(x.contributions()).isSortedAccordingTo(
                    Comparator.comparingDouble((Explanation.Contribution c) -> -Math.abs(c.contribution())));
            double[] input = FeatureExtractor.modelInput(e.features());
            for (Explanation.Contribution c : x.contributions()) {
                int j = FeatureExtractor.FEATURE_NAMES.indexOf(c.feature());
                assertThat(c.value()).isEqualTo(e.features().value(c.feature()));
                assertThat(c.modelInput()).isEqualTo(input[j]);
            }
        }
    }

    @Test
    void theWeightsThroughASoftmaxReproduceTheModelsProbabilities() {
        LinearSGDModel model = (LinearSGDModel) linear.tribuoModel();
        for (SyntheticCohort.Example e : heldOut) {
            Map<Direction, Double> q = Explainer.softmax(Explainer.logits(model, FeatureExtractor.modelInput(e.features())));
            Map<Direction, Double> p = linear.probabilities(e.features());
            for (Direction d : Direction.values()) {
                assertThat(q.get(d)).isCloseTo(p.get(d), within(1e-9));
            }
        }
    }

    @Test
    void aFeaturesContributionIsWhatTheLogOddsLoseWhenItIsMovedToTarget() {
        // Checked through the model's own predictions, not its weights: moving the 7-day mean systolic to
        // 130 (model input 0) changes ln(p_direction / p_against) by exactly minus its contribution.
        for (SyntheticCohort.Example e : heldOut.subList(0, 100)) {
            Explanation x = linear.explain(e.features());
            TitrationFeatures atTarget = DriftTest.with(e.features(), FeatureExtractor.SBP_MEAN_7D, 130.0);
            Map<Direction, Double> p = linear.probabilities(atTarget);
            double contribution = x.contributions().stream()
                    .filter(c -> c.feature().equals(FeatureExtractor.SBP_MEAN_7D)).findFirst().orElseThrow()
                    .contribution();

            assertThat(Math.log(p.get(x.direction()) / p.get(x.against())))
                    .isCloseTo(x.margin() - contribution, within(1e-9));
        }
    }

    @Test
    void theSentenceGivesTheNumbersTheProposalAndTheStrongestReasons() {
        PatientSnapshot high = new PatientSnapshot("p", FeatureExtractorTest.NOW, List.of(
                FeatureExtractorTest.at("2026-11-17T08:00:00Z", 158, 98),
                FeatureExtractorTest.at("2026-11-18T08:00:00Z", 162, 99),
                FeatureExtractorTest.at("2026-11-19T08:00:00Z", 155, 96)), 1, 4);
        PatientSnapshot low = new PatientSnapshot("p", FeatureExtractorTest.NOW, List.of(
                FeatureExtractorTest.at("2026-11-17T08:00:00Z", 98, 60),
                FeatureExtractorTest.at("2026-11-18T08:00:00Z", 96, 58),
                FeatureExtractorTest.at("2026-11-19T08:00:00Z", 92, 57)), 3, 4);

        Explanation up = linear.explain(FeatureExtractor.extract(high));
        Explanation down = linear.explain(FeatureExtractor.extract(low));

        assertThat(up.direction()).isEqualTo(Direction.INCREASE);
        assertThat(up.sentence())
                .startsWith("7-day mean 158/98 mm[Hg], above target 130/80; 100% of readings above target; "
                        + "falling 1.5 mm[Hg]/day; adherence not reported; dose step 1 → increase one step (p ")
                .contains("Strongest reasons for increase over " + up.against().name().toLowerCase() + " (log-odds): ");
        assertThat(down.direction()).isEqualTo(Direction.DECREASE);
        assertThat(down.sentence()).startsWith("7-day mean 95/58 mm[Hg], low (below 105 systolic); "
                + "0% of readings above target; falling 3.0 mm[Hg]/day; adherence not reported; dose step 3 → decrease one step (p ");
        // Named with their signed contributions, largest first; the intercept appears as "model default".
        assertThat(up.sentence()).endsWith("(log-odds): above the action threshold 135/85 (+6.9), last systolic (+0.6); "
                + "against: model default (-2.0).");
        assertThat(up.contributions().get(0).feature()).isEqualTo(FeatureExtractor.ABOVE_ACTION_7D);
        System.out.println(up.sentence());
        System.out.println(down.sentence());
    }

    @Test
    void aNonLinearModelIsExplainedApproximatelyByLimeTheSameWayEveryTime() {
        List<SyntheticCohort.Example> small = SyntheticCohort.generate(SEED, 1000, 0.03);
        TitrationModel boosted = model(ModelTrainer.train(small, SEED, "xgboost", new XGBoostClassificationTrainer(
                30, 0.3, 0, 4, 1, 1.0, 1.0, 1, 0, 1, true, SEED), "xgboost"));
        TitrationFeatures f = heldOut.get(0).features();

        Explanation a = boosted.explain(f);
        Explanation b = boosted.explain(f);

        assertThat(a.method()).isEqualTo(Explanation.Method.LIME);
        assertThat(a.direction()).isEqualTo(Recommender.choose(boosted.probabilities(f)));
        assertThat(a.contributions()).hasSize(FeatureExtractor.FEATURE_NAMES.size());
        assertThat(a.sentence()).contains("(approximate: LIME, probability)");
        assertThat(b).isEqualTo(a);
    }

    static TitrationModel model(TrainedModel trained) {
        return new TitrationModel(trained.model(), new ModelVersion("test", trained.algorithm(), ModelStatus.CANDIDATE,
                trained.provenanceHash(), trained.datasetHash(), trained.seed(), Instant.EPOCH, trained.metrics(),
                null, null));
    }
}
