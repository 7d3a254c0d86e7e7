package org.clinloop.recommendation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.Fingerprints;

/** Proposes one titration step with the active model. Proposes nothing when no model is active. */
@ApplicationScoped
public class Recommender {

    private static final Logger LOG = Logger.getLogger(Recommender.class.getName());

    @Inject
    ModelRegistry registry;
    @Inject
    ShadowScoring shadows;

    /** The ACTIVE version's proposal; SHADOW versions score the same snapshot on the side. */
    public Optional<Recommendation> recommend(PatientSnapshot snapshot) {
        Optional<Recommendation> proposed = registry.active().map(model -> recommend(model, snapshot));
        proposed.ifPresent(r -> scoreShadows(snapshot, r));
        return proposed;
    }

    /** Only when a version is in SHADOW does scoring (and its own transaction) happen at all. */
    private void scoreShadows(PatientSnapshot snapshot, Recommendation active) {
        try {
            List<TitrationModel> inShadow = registry.shadows();
            if (!inShadow.isEmpty()) {
                shadows.score(snapshot, active, inShadow);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Shadow scoring failed for patient " + snapshot.patientId()
                    + "; the ACTIVE proposal is unaffected", e);
        }
    }

    /** The pure function behind {@link #recommend(PatientSnapshot)}. */
    public static Recommendation recommend(TitrationModel model, PatientSnapshot snapshot) {
        TitrationFeatures features = FeatureExtractor.extract(snapshot);
        Map<Direction, Double> probabilities = model.probabilities(features);
        Direction direction = choose(probabilities);
        int steps = model.steps(features, direction);
        double p = probabilities.get(direction);
        // A linear model explains itself exactly, per feature, in the sentence the clinician reads;
        // any other keeps the summary sentence (LIME per reading would cost ~100 ms).
        Explanation explanation = model.explainsExactly() ? model.explain(features) : null;
        String rationale = explanation != null ? explanation.sentence() : rationale(features, snapshot, direction, steps, p);
        return new Recommendation(snapshot.patientId(), direction, steps, p, probabilities, features,
                inputHash(snapshot), model.version(), rationale, explanation);
    }

    /** The most probable direction; ties go to HOLD (no change unless the model prefers one). */
    public static Direction choose(Map<Direction, Double> probabilities) {
        Direction direction = Direction.HOLD;
        for (Direction d : Direction.values()) {
            if (probabilities.get(d) > probabilities.get(direction)) {
                direction = d;
            }
        }
        return direction;
    }

    /** Hex SHA-256 of what the model saw, in the audit log's canonical JSON. */
    public static String inputHash(PatientSnapshot s) {
        List<Map<String, Object>> readings = new ArrayList<>();
        for (BloodPressureReading r : s.readings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("observation", String.valueOf(r.observationId()));
            m.put("effective", r.effective().toString());
            m.put("systolic", r.systolic());
            m.put("diastolic", r.diastolic());
            readings.add(m);
        }
        return Fingerprints.of(Map.of("patient", s.patientId(), "asOf", s.asOf().toString(),
                "doseStep", s.doseStep(), "highestDoseStep", s.highestDoseStep(), "readings", readings,
                "signals", s.signals().known(), "drugClass", s.drugClass().name()));
    }

    static String rationale(TitrationFeatures f, PatientSnapshot s, Direction d, int steps, double p) {
        String action = switch (d) {
            case INCREASE -> "increase " + (steps >= 2 ? "two steps" : "one step");
            case DECREASE -> "decrease " + (steps >= 2 ? "two steps" : "one step");
            case HOLD -> "hold the current dose";
        };
        return String.format(Locale.ROOT,
                "7-day mean %.0f/%.0f mm[Hg] from %d reading%s (target below %.0f/%.0f); last %.0f/%.0f; "
                        + "%.0f%% above target; dose step %d of 0–%d → %s (p %.2f).",
                f.value(FeatureExtractor.SBP_MEAN_7D), f.value(FeatureExtractor.DBP_MEAN_7D),
                (int) f.value(FeatureExtractor.READINGS_7D), f.value(FeatureExtractor.READINGS_7D) == 1 ? "" : "s",
                FeatureExtractor.TARGET_SYSTOLIC,
                FeatureExtractor.TARGET_DIASTOLIC, s.latest().systolic(), s.latest().diastolic(),
                100 * f.value(FeatureExtractor.SHARE_ABOVE_TARGET_7D), s.doseStep(), s.highestDoseStep(), action, p);
    }
}
