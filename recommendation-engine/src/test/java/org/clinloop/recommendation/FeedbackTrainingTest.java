package org.clinloop.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retraining on clinician feedback: clinicians who consistently hold where the guideline says
 * increase (a 7-day mean systolic of 135–145 mm[Hg] at dose step 2 or higher) are learned from,
 * and their decisions on patients the retrained model never saw are matched more often.
 */
class FeedbackTrainingTest {

    static final long SEED = 20261123L;
    static List<SyntheticCohort.Example> cohort;
    static TitrationModel before;
    static List<ClinicianFeedback> train = new ArrayList<>();
    static List<ClinicianFeedback> heldOut = new ArrayList<>();
    static TrainedModel retrained;
    static TitrationModel after;

    /** The cautious clinicians' exception to the guideline. */
    static final Predicate<TitrationFeatures> CAUTIOUS = f -> f.value(FeatureExtractor.SBP_MEAN_7D) >= 135
            && f.value(FeatureExtractor.SBP_MEAN_7D) < 145 && f.value(FeatureExtractor.DOSE_STEP) >= 2;

    @BeforeAll
    static void trainBeforeAndAfter() {
        cohort = SyntheticCohort.generate(SEED, 3000, 0.03);
        before = model(ModelTrainer.train(cohort, SEED, "cohort"), "before");
        int i = 0;
        for (SyntheticCohort.Example e : SyntheticCohort.generate(77, 2500, 0)) {
            Direction proposed = Recommender.choose(before.probabilities(e.features()));
            Direction clinician = CAUTIOUS.test(e.features()) && e.label() == Direction.INCREASE ? Direction.HOLD
                    : e.label();
            ClinicianFeedback f = feedback("p-" + i++, e, proposed, clinician);
            (FeedbackRetraining.heldOut(f.patientId(), SEED) ? heldOut : train).add(f);
        }
        retrained = ModelTrainer.train(cohort, new TrainingFeedback(train, 5), SEED, "cohort + feedback");
        after = model(retrained, "after");
    }

    static ClinicianFeedback feedback(String id, SyntheticCohort.Example e, Direction proposed, Direction label) {
        return new ClinicianFeedback(id, "before", e.snapshot().patientId(), e.snapshot().asOf(),
                e.features().values(), proposed, 2, 3, label == proposed ? ClinicianFeedback.Action.APPROVED
                : ClinicianFeedback.Action.MODIFIED, 2, null, label, "test", "dr-test", Instant.EPOCH);
    }

    static TitrationModel model(TrainedModel t, String id) {
        return new TitrationModel(t.model(), new ModelVersion(id, t.algorithm(), ModelStatus.CANDIDATE,
                t.provenanceHash(), t.datasetHash(), t.seed(), t.trainedAt(), t.metrics(), null, null));
    }

    static double agreement(TitrationModel m, List<ClinicianFeedback> decisions) {
        return decisions.stream().filter(f -> Recommender.choose(m.probabilities(f.titrationFeatures())) == f.label())
                .count() / (double) decisions.size();
    }

    @Test
    void aFifthOfPatientsIsHeldOutBySeededHash() {
        int all = train.size() + heldOut.size();
        assertThat(heldOut.size() / (double) all).isCloseTo(0.2, within(0.03));
        assertThat(heldOut).allSatisfy(f -> assertThat(FeedbackRetraining.heldOut(f.patientId(), SEED)).isTrue());
        assertThat(train).noneSatisfy(f -> assertThat(FeedbackRetraining.heldOut(f.patientId(), SEED)).isTrue());
    }

    @Test
    void theRetrainedModelAgreesWithCliniciansOnPatientsItNeverSaw() {
        List<ClinicianFeedback> cautious = heldOut.stream()
                .filter(f -> CAUTIOUS.test(f.titrationFeatures()) && f.label() == Direction.HOLD).toList();
        assertThat(cautious).hasSizeGreaterThan(15);
        double was = agreement(before, cautious);
        double now = agreement(after, cautious);
        System.out.printf("cautious held-out decisions n=%d: agreement before %.3f, after %.3f; all held-out "
                + "n=%d: before %.3f, after %.3f%n", cautious.size(), was, now, heldOut.size(),
                agreement(before, heldOut), agreement(after, heldOut));
        // A linear model cannot carve the band exactly, and with the guideline's threshold indicators it
        // follows the guideline closely: 0.45 -> 0.55 in the band on the bootstrap seed, while agreement over
        // all held-out decisions stays where it was (0.947 -> 0.941).
        assertThat(now).isGreaterThan(was + 0.05);
        assertThat(agreement(after, heldOut)).isCloseTo(agreement(before, heldOut),
                org.assertj.core.api.Assertions.within(0.02));
    }

    @Test
    void feedbackIsWeightedAndCountedInTheMetrics() {
        assertThat(retrained.metrics().get("feedback_examples")).isEqualTo((double) train.size());
        assertThat(retrained.metrics().get("feedback_weight")).isEqualTo(5.0);
        assertThat(retrained.metrics().get("trained_on")).isEqualTo(2400.0 + train.size());
        // Metrics stay those of the cohort's held-out 600, so the gates compare like with like.
        assertThat(retrained.metrics().get("held_out")).isEqualTo(600.0);
        TrainedModel light = ModelTrainer.train(cohort, new TrainingFeedback(train, 1), SEED, "weight 1");
        List<ClinicianFeedback> cautious = train.stream()
                .filter(f -> CAUTIOUS.test(f.titrationFeatures()) && f.label() == Direction.HOLD).toList();
        assertThat(agreement(model(light, "light"), cautious)).isLessThan(agreement(after, cautious));
    }

    @Test
    void retrainingOnTheSameFeedbackReproducesTheModel() {
        TrainedModel again = ModelTrainer.train(cohort, new TrainingFeedback(train, 5), SEED, "cohort + feedback");
        assertThat(again.datasetHash()).isEqualTo(retrained.datasetHash());
        TitrationModel twin = model(again, "twin");
        for (ClinicianFeedback f : heldOut) {
            Map<Direction, Double> a = after.probabilities(f.titrationFeatures());
            Map<Direction, Double> b = twin.probabilities(f.titrationFeatures());
            for (Direction d : Direction.values()) {
                assertThat(b.get(d)).isCloseTo(a.get(d), within(1e-9));
            }
        }
        assertThat(ModelTrainer.provenanceHashWithoutTimes(again.provenanceJson()))
                .isEqualTo(ModelTrainer.provenanceHashWithoutTimes(retrained.provenanceJson()));
    }

    @Test
    void theDatasetHashCoversTheFeedbackAndIsUnchangedWithout() {
        assertThat(ModelTrainer.datasetHash(cohort, TrainingFeedback.NONE)).isEqualTo(ModelTrainer.datasetHash(cohort));
        assertThat(retrained.datasetHash()).isNotEqualTo(ModelTrainer.datasetHash(cohort));
        assertThat(ModelTrainer.datasetHash(cohort, new TrainingFeedback(train, 4)))
                .isNotEqualTo(retrained.datasetHash());
        assertThat(ModelTrainer.datasetHash(cohort, new TrainingFeedback(train.subList(1, train.size()), 5)))
                .isNotEqualTo(retrained.datasetHash());
    }

    @Test
    void onlyLabelledFeedbackWithTheCurrentFeaturesIsTrainedOn() {
        ClinicianFeedback f = train.get(0);
        ClinicianFeedback unlabelled = new ClinicianFeedback(f.proposalId(), f.modelId(), f.patientId(),
                f.proposedAt(), f.features(), f.proposed(), 2, 3, ClinicianFeedback.Action.REJECTED, 2, "DATA_QUALITY",
                null, "rejected for data quality", "dr", Instant.EPOCH);
        assertThatThrownBy(() -> new TrainingFeedback(List.of(unlabelled), 5))
                .hasMessageContaining("without a label (rejected for data quality)");
        ClinicianFeedback older = new ClinicianFeedback(f.proposalId(), f.modelId(), f.patientId(), f.proposedAt(),
                Map.of("sbp_mean_7d", 150.0), f.proposed(), 2, 3, f.action(), 2, null, f.label(), "x", "dr",
                Instant.EPOCH);
        assertThat(older.hasCurrentFeatures()).isFalse();
        assertThatThrownBy(() -> new TrainingFeedback(List.of(older), 5)).hasMessageContaining("current features");
        assertThatThrownBy(() -> new TrainingFeedback(List.of(), 0.5)).hasMessageContaining("at least 1");
    }

    @Test
    void recordedFeaturesReadBackWithTheirMissingValues() {
        Instant at = Instant.parse("2026-11-01T08:00:00Z");
        PatientSnapshot snapshot = new PatientSnapshot("p1", at,
                List.of(new BloodPressureReading("o1", at.minusSeconds(3600), 151, 93)), 1, 4);
        TitrationFeatures one = FeatureExtractor.extract(snapshot);
        assertThat(one.missing()).contains(FeatureExtractor.SBP_SLOPE_7D, FeatureExtractor.AGE);
        ClinicianFeedback f = feedback("x", new SyntheticCohort.Example(snapshot, one, Direction.INCREASE, Map.of()),
                Direction.INCREASE, Direction.INCREASE);
        assertThat(f.titrationFeatures()).isEqualTo(one);
    }
}
