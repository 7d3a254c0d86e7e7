package org.clinloop.recommendation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditQuery;
import org.clinloop.audit.EntryCodec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Input and output drift of a model version: its training reference (the seeded cohort it was
 * trained on, regenerated, plus any clinician feedback it learned from, checked against the stored
 * dataset hash) against the features and
 * directions of its live proposals (the newest {@link #MAX_CURRENT}), read from the audit
 * log's PROPOSAL_MADE entries over a sliding window. Crossing the alert threshold raises a
 * governance alert for the model steward (audited, at most once per window and model); it never
 * retrains nor promotes anything.
 */
@ApplicationScoped
public class DriftMonitor {

    /** Fewer live proposals than this: the figures are shown but no alert is raised. */
    public static final int MIN_CURRENT = 30;
    /** The newest proposals of the window taken (the audit log reads at most this many at once). */
    public static final int MAX_CURRENT = 1_000;

    @Inject
    ModelRegistry registry;
    @Inject
    AuditLog audit;
    @Inject
    FeedbackLog feedback;
    @Inject
    Clock clock;
    @Inject
    @ConfigProperty(name = "clinloop.drift.psi-warn", defaultValue = "0.1")
    double psiWarn;
    @Inject
    @ConfigProperty(name = "clinloop.drift.psi-alert", defaultValue = "0.25")
    double psiAlert;

    private final Map<String, Reference> references = new ConcurrentHashMap<>();
    private final Map<String, DriftStatus> latest = new ConcurrentHashMap<>();

    /**
     * Drift of one model version over a window.
     *
     * @param model          the version
     * @param from           window start (inclusive)
     * @param to             window end
     * @param referenceSize  training examples in the reference
     * @param currentSize    live proposals in the window
     * @param enoughData     at least {@link #MIN_CURRENT} live proposals
     * @param features       per input feature: PSI (and KS for continuous features), status
     * @param output         PSI of the proposed directions against the model's own on its reference
     * @param steps          PSI of the proposed step sizes (0, 1, 2) against the model's own on its reference
     * @param status         the worst status over features and outputs (OK when not enough data)
     * @param alertRaised    whether this check raised a governance alert
     */
    public record DriftStatus(String model, Instant from, Instant to, int referenceSize, int currentSize,
                              boolean enoughData, List<DriftReport> features, DriftReport output,
                              DriftReport steps, DriftReport.Status status, boolean alertRaised) {
    }

    private record Reference(List<TitrationFeatures> features, List<Direction> directions, List<Integer> steps) {
    }

    @Transactional
    public DriftStatus check(String versionId, Duration window, Actor actor) {
        TitrationModel model = registry.load(versionId).orElseThrow(() -> new IllegalArgumentException(
                "Expected a registered model version, found no " + versionId + "."));
        Reference reference = references.computeIfAbsent(versionId, id -> reference(model));
        Instant to = clock.instant();
        Instant from = to.minus(window);
        List<TitrationFeatures> current = new ArrayList<>();
        List<Direction> directions = new ArrayList<>();
        List<Integer> steps = new ArrayList<>();
        AuditQuery proposals = new AuditQuery(null, AuditEventType.PROPOSAL_MADE, null, from, to, MAX_CURRENT);
        for (AuditEntry e : audit.read(proposals)) {
            ProposalRecorded p = ProposalRecorded.fromEntry(e);
            if (!versionId.equals(p.model().id())) {
                continue;
            }
            current.add(p.titrationFeatures());
            directions.add(p.direction());
            steps.add(p.steps());
        }
        Drift.Thresholds thresholds = new Drift.Thresholds(psiWarn, psiAlert);
        boolean enough = current.size() >= MIN_CURRENT;
        List<DriftReport> features = current.isEmpty() ? List.of()
                : Drift.features(reference.features(), current, thresholds);
        DriftReport output = directions.isEmpty() ? null : Drift.output(reference.directions(), directions, thresholds);
        DriftReport stepSizes = steps.isEmpty() ? null : Drift.steps(reference.steps(), steps, thresholds);
        DriftReport.Status worst = DriftReport.Status.OK;
        if (enough) {
            for (DriftReport r : features) {
                worst = worse(worst, r.status());
            }
            worst = output == null ? worst : worse(worst, output.status());
            worst = stepSizes == null ? worst : worse(worst, stepSizes.status());
        }
        boolean raise = worst == DriftReport.Status.ALERT && !alertedWithin(versionId, window, to);
        if (raise) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("model", versionId);
            detail.put("window", window.toString());
            detail.put("currentSize", current.size());
            Map<String, Double> alerting = new LinkedHashMap<>();
            features.stream().filter(r -> r.status() == DriftReport.Status.ALERT)
                    .forEach(r -> alerting.put(r.feature(), r.psi()));
            if (output != null && output.status() == DriftReport.Status.ALERT) {
                alerting.put(Drift.OUTPUT, output.psi());
            }
            if (stepSizes != null && stepSizes.status() == DriftReport.Status.ALERT) {
                alerting.put(Drift.STEPS, stepSizes.psi());
            }
            detail.put("psiAlerting", alerting);
            detail.put("thresholds", Map.of("warn", psiWarn, "alert", psiAlert));
            detail.put("action", "review by the model steward; no automatic retraining or promotion");
            audit.append(AuditEvent.of(AuditEventType.MODEL_DRIFT_ALERT, actor, null, detail));
        }
        DriftStatus status = new DriftStatus(versionId, from, to, reference.features().size(), current.size(), enough,
                features, output, stepSizes, worst, raise);
        latest.put(versionId, status);
        return status;
    }

    /** The most recent check of a version (by the schedule or over the API), if any since start-up. */
    public Optional<DriftStatus> latest(String versionId) {
        return Optional.ofNullable(latest.get(versionId));
    }

    private boolean alertedWithin(String versionId, Duration window, Instant now) {
        for (AuditEntry e : audit.read(new AuditQuery(null, AuditEventType.MODEL_DRIFT_ALERT, null, now.minus(window),
                now, 1000))) {
            if (versionId.equals(EntryCodec.parseDetail(e.detailJson()).get("model"))) {
                return true;
            }
        }
        return false;
    }

    private static DriftReport.Status worse(DriftReport.Status a, DriftReport.Status b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /**
     * What the version was trained on: its cohort regenerated from its seed, plus the clinician
     * feedback it learned from, checked by its dataset hash.
     */
    private Reference reference(TitrationModel model) {
        ModelVersion v = model.version();
        List<SyntheticCohort.Example> cohort = SyntheticCohort.generate(v.seed(), ModelTraining.COHORT,
                ModelTraining.LABEL_NOISE);
        TrainingFeedback learned = feedback.usedBy(v.id());
        String hash = ModelTrainer.datasetHash(cohort, learned);
        if (!hash.equals(v.datasetHash())) {
            throw new IllegalStateException("Expected the training reference of " + v.id() + " to regenerate with "
                    + "dataset hash " + v.datasetHash() + ", found " + hash
                    + "; its reference data is not reproducible here.");
        }
        List<TitrationFeatures> features = new ArrayList<>(cohort.stream().map(SyntheticCohort.Example::features)
                .toList());
        learned.examples().forEach(f -> features.add(f.titrationFeatures()));
        List<Direction> directions = features.stream().map(f -> Recommender.choose(model.probabilities(f))).toList();
        List<Integer> steps = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            steps.add(model.steps(features.get(i), directions.get(i)));
        }
        return new Reference(features, directions, steps);
    }
}
