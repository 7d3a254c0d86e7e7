package org.clinloop.recommendation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.Fingerprints;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The clinician–AI loop's retraining job: a new CANDIDATE from the seeded cohort plus the
 * clinicians' labelled decisions, with a report of what the feedback changed. It registers a
 * CANDIDATE and nothing more: activation still needs the gates and a steward's sign-off.
 *
 * <p>A fifth of the patients (by a seeded hash of their id) are held out: none of their
 * decisions is trained on, so agreement with clinicians is also measured where the candidate
 * could not have memorised it. Decisions that label nothing, and decisions recorded with another
 * feature set than the current one, are counted and left out.
 */
@ApplicationScoped
public class FeedbackRetraining {

    /** Share of patients whose decisions are held out, in fifths. */
    static final int HELD_OUT_BUCKETS = 5;

    @Inject
    ModelRegistry registry;
    @Inject
    FeedbackLog feedback;
    @Inject
    AuditLog audit;
    @Inject
    @ConfigProperty(name = "clinloop.feedback.weight", defaultValue = "5")
    double weight;

    /**
     * Trains and registers a CANDIDATE from the cohort of {@code seed} plus the feedback, and
     * reports against the ACTIVE version. Needs a model steward; audited as
     * {@code MODEL_RETRAINED} with the report.
     *
     * @throws SecurityException when the caller is not a model steward
     */
    @Transactional
    public RetrainingReport retrain(long seed, Actor steward) {
        if (!steward.hasRole("model-steward")) {
            throw new SecurityException("Expected a model steward to retrain, found " + steward.id() + " with roles "
                    + steward.roles() + ".");
        }
        List<ClinicianFeedback> decisions = feedback.all();
        Map<String, Integer> notUsed = new TreeMap<>();
        List<ClinicianFeedback> train = new ArrayList<>();
        List<ClinicianFeedback> heldOut = new ArrayList<>();
        for (ClinicianFeedback f : decisions) {
            if (f.label() == null) {
                notUsed.merge(f.labelNote(), 1, Integer::sum);
            } else if (!f.hasCurrentFeatures()) {
                notUsed.merge("recorded with another feature set", 1, Integer::sum);
            } else if (heldOut(f.patientId(), seed)) {
                heldOut.add(f);
            } else {
                train.add(f);
            }
        }
        TrainingFeedback used = new TrainingFeedback(train, weight);
        List<SyntheticCohort.Example> cohort = SyntheticCohort.generate(seed, ModelTraining.COHORT,
                ModelTraining.LABEL_NOISE);
        TrainedModel trained = ModelTrainer.train(cohort, used, seed, "clinloop synthetic cohort seed=" + seed
                + " patients=" + ModelTraining.COHORT + " labelNoise=" + ModelTraining.LABEL_NOISE
                + " + clinician feedback n=" + train.size() + " weight=" + weight);
        ModelVersion candidate = registry.register(trained, steward);
        TitrationModel after = new TitrationModel(trained.model(), candidate);
        Optional<TitrationModel> before = registry.active();

        List<RetrainingReport.Agreement> agreement = List.of(
                agreement("held out", heldOut, before, after),
                agreement("trained on", train, before, after));
        Map<String, Map<String, Double>> cohortMetrics = new LinkedHashMap<>();
        List<SyntheticCohort.Example> cohortHeldOut = ModelTrainer.split(cohort, seed).heldOut();
        before.ifPresent(b -> cohortMetrics.put("before", cohortMetrics(b, cohortHeldOut)));
        cohortMetrics.put("after", cohortMetrics(after, cohortHeldOut));
        Map<String, Integer> changed = new TreeMap<>();
        if (before.isPresent()) {
            for (ClinicianFeedback f : concat(heldOut, train)) {
                Direction was = choose(before.get(), f);
                Direction now = choose(after, f);
                if (was != now) {
                    changed.merge(now == f.label() ? "toward clinician" : was == f.label() ? "away from clinician"
                            : "other", 1, Integer::sum);
                }
            }
        }
        RetrainingReport report = new RetrainingReport(candidate, before.map(b -> b.version().id()).orElse(null),
                decisions.size(), train.size(), heldOut.size(), notUsed, weight, agreement, cohortMetrics, changed);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("model", candidate.id());
        detail.put("comparedWith", report.comparedWith());
        detail.put("decisions", report.decisions());
        detail.put("trainedOn", report.trainedOn());
        detail.put("heldOut", report.heldOut());
        detail.put("notUsed", notUsed);
        detail.put("weight", weight);
        List<Map<String, Object>> agreements = new ArrayList<>();
        for (RetrainingReport.Agreement a : agreement) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("decisions", a.decisions());
            m.put("n", a.n());
            m.put("atDecision", a.atDecision());
            m.put("before", a.before());
            m.put("after", a.after());
            agreements.add(m);
        }
        detail.put("agreement", agreements);
        detail.put("cohort", cohortMetrics);
        detail.put("changed", changed);
        audit.append(AuditEvent.of(AuditEventType.MODEL_RETRAINED, steward, null, detail));
        return report;
    }

    /** Whether a patient's decisions are held out of training for {@code seed}: a seeded fifth of patients. */
    static boolean heldOut(String patientId, long seed) {
        String h = Fingerprints.sha256Hex((seed + ":" + patientId).getBytes(StandardCharsets.UTF_8));
        return Integer.parseInt(h.substring(0, 4), 16) % HELD_OUT_BUCKETS == 0;
    }

    private static RetrainingReport.Agreement agreement(String which, List<ClinicianFeedback> decisions,
                                                        Optional<TitrationModel> before, TitrationModel after) {
        if (decisions.isEmpty()) {
            return new RetrainingReport.Agreement(which, 0, null, null, null);
        }
        return new RetrainingReport.Agreement(which, decisions.size(),
                share(decisions, f -> f.proposed()),
                before.map(b -> share(decisions, f -> choose(b, f))).orElse(null),
                share(decisions, f -> choose(after, f)));
    }

    private static double share(List<ClinicianFeedback> decisions,
                                Function<ClinicianFeedback, Direction> direction) {
        return decisions.stream().filter(f -> direction.apply(f) == f.label()).count() / (double) decisions.size();
    }

    private static Direction choose(TitrationModel model, ClinicianFeedback f) {
        return Recommender.choose(model.probabilities(f.titrationFeatures()));
    }

    private static Map<String, Double> cohortMetrics(TitrationModel model, List<SyntheticCohort.Example> heldOut) {
        List<Direction> truth = heldOut.stream().map(SyntheticCohort.Example::label).toList();
        List<Direction> predicted = heldOut.stream()
                .map(e -> Recommender.choose(model.probabilities(e.features()))).toList();
        return new TreeMap<>(ModelTrainer.classification(truth, predicted));
    }

    private static List<ClinicianFeedback> concat(List<ClinicianFeedback> a, List<ClinicianFeedback> b) {
        List<ClinicianFeedback> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
