package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditQuery;
import org.clinloop.audit.EntryCodec;
import org.clinloop.recommendation.BloodPressureReading;
import org.clinloop.recommendation.Direction;
import org.clinloop.recommendation.ModelRegistry;
import org.clinloop.recommendation.Recommender;
import org.clinloop.recommendation.TitrationFeatures;
import org.clinloop.recommendation.TitrationModel;

/**
 * Re-runs a recorded decision from its audit entries alone: the recorded feature values through
 * the recorded model version, then the recorded reading, bounds and step through the rule set of
 * the recorded version. Any difference is reported, never hidden; the replay itself is recorded.
 */
@ApplicationScoped
public class DecisionReplay {

    /** Probabilities may differ by floating-point noise across JVMs, no more. */
    static final double TOLERANCE = 1e-9;

    /**
     * @param proposalId  the decision replayed
     * @param matches     true when model output, tier, rules fired and alerts all agree
     * @param differences each disagreement, recorded versus replayed
     * @param recorded    what the audit log says happened
     * @param replayed    what happens now with the same inputs
     */
    public record Report(String proposalId, boolean matches, List<String> differences, Map<String, Object> recorded,
                         Map<String, Object> replayed) {
    }

    @Inject
    WorkflowStore store;
    @Inject
    AuditLog audit;
    @Inject
    ModelRegistry models;
    @Inject
    SafetyRules current;
    @Inject
    Clock clock;

    private final Map<String, SafetyRules> ruleSets = new ConcurrentHashMap<>();

    /** Stores the running rule set's text under its version, and records it the first time it is seen. */
    @Transactional
    public void registerRules(SafetyRules rules) {
        if (store.saveRuleSet(rules.version(), rules.drl(), clock.instant())) {
            audit.append(AuditEvent.of(AuditEventType.RULES_LOADED, Actor.system("approval-workflow"), null,
                    Map.of("rulesVersion", rules.version(), "drlSha256", org.clinloop.audit.Fingerprints.sha256Hex(
                            rules.drl().getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        }
        ruleSets.put(rules.version(), rules);
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public Report replay(String proposalId, Actor actor) {
        if (!actor.hasRole(Roles.COMPLIANCE_OFFICER)) {
            throw new AccessRefusedException("Expected a compliance officer to replay decisions, found " + actor.id() + ".");
        }
        String patient = store.proposalPatient(proposalId)
                .orElseThrow(() -> new UnknownResourceException("No proposal " + proposalId + "."));
        Map<String, Object> proposal = detail(patient, AuditEventType.PROPOSAL_MADE, "proposal", proposalId);
        Map<String, Object> decision = detail(patient, AuditEventType.TIER_DECIDED, "proposal", proposalId);
        String observation = (String) proposal.get("observation");
        Map<String, Object> reading = detail(patient, AuditEventType.OBSERVATION_ACCEPTED, "observation", observation);
        List<String> differences = new ArrayList<>();

        // The model, from the recorded feature values.
        Map<String, Object> model = (Map<String, Object>) proposal.get("model");
        String modelId = (String) model.get("id");
        TitrationModel m = models.load(modelId)
                .orElseThrow(() -> new UnknownResourceException("Model " + modelId + " is no longer in the registry."));
        if (!m.version().provenanceHash().equals(model.get("provenanceHash"))) {
            differences.add("model provenance: recorded " + model.get("provenanceHash") + ", registry has "
                    + m.version().provenanceHash());
        }
        TitrationFeatures features = TitrationFeatures.fromRecorded(proposal);
        Map<Direction, Double> probabilities = m.probabilities(features);
        Direction direction = Recommender.choose(probabilities);
        if (!direction.name().equals(proposal.get("direction"))) {
            differences.add("direction: recorded " + proposal.get("direction") + ", replayed " + direction);
        }
        Map<String, Object> recordedP = (Map<String, Object>) proposal.get("probabilities");
        for (Direction d : Direction.values()) {
            double was = ((Number) recordedP.get(d.name())).doubleValue();
            if (Math.abs(was - probabilities.get(d)) > TOLERANCE) {
                differences.add("probability of " + d + ": recorded " + was + ", replayed " + probabilities.get(d));
            }
        }

        // The rules, of the recorded version, over the recorded bounds, step and reading.
        String rulesVersion = (String) decision.get("rulesVersion");
        SafetyRules rules = rules(rulesVersion);
        SafetyBounds bounds = bounds((Map<String, Object>) decision.get("bounds"));
        int from = ((Number) decision.get("fromStep")).intValue();
        int steps = ((Number) proposal.get("steps")).intValue();
        int replayedSteps = m.steps(features, direction);
        if (replayedSteps != steps) {
            differences.add("steps: recorded " + steps + ", replayed " + replayedSteps);
        }
        double probability = probabilities.get(direction);
        ProposedStep step = new ProposedStep(from, from + direction.sign() * steps, probability);
        BloodPressureReading trigger = new BloodPressureReading(observation,
                Instant.parse((String) reading.get("effective")), ((Number) reading.get("systolic")).doubleValue(),
                ((Number) reading.get("diastolic")).doubleValue());
        TierDecision replayed = rules.evaluate(step, bounds, Protocols.require(bounds.protocol()),
                context(trigger, (Map<String, Object>) decision.get("context")));
        if (!replayed.tier().name().equals(decision.get("tier"))) {
            differences.add("tier: recorded " + decision.get("tier") + ", replayed " + replayed.tier());
        }
        Set<String> recordedRules = new HashSet<>();
        ((List<Map<String, Object>>) decision.get("rulesFired")).forEach(f -> recordedRules.add((String) f.get("rule")));
        if (!recordedRules.equals(new HashSet<>(replayed.ruleNames()))) {
            differences.add("rules fired: recorded " + recordedRules + ", replayed " + replayed.ruleNames());
        }
        Set<String> recordedAlerts = new HashSet<>();
        ((List<Map<String, Object>>) decision.get("alerts")).forEach(a -> recordedAlerts.add((String) a.get("code")));
        Set<String> replayedAlerts = new HashSet<>();
        replayed.alerts().forEach(a -> replayedAlerts.add(a.code()));
        if (!recordedAlerts.equals(replayedAlerts)) {
            differences.add("alerts: recorded " + recordedAlerts + ", replayed " + replayedAlerts);
        }

        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("direction", proposal.get("direction"));
        recorded.put("probabilities", recordedP);
        recorded.put("tier", decision.get("tier"));
        recorded.put("rulesFired", recordedRules);
        recorded.put("alerts", recordedAlerts);
        Map<String, Object> now = new LinkedHashMap<>();
        Map<String, Double> p = new LinkedHashMap<>();
        probabilities.forEach((d, v) -> p.put(d.name(), v));
        now.put("direction", direction.name());
        now.put("probabilities", p);
        now.put("tier", replayed.tier().name());
        now.put("rulesFired", replayed.ruleNames());
        now.put("alerts", replayedAlerts);
        Map<String, Object> used = new LinkedHashMap<>();
        used.put("model", modelId);
        used.put("rulesVersion", rulesVersion);
        used.put("boundsVersion", bounds.version());
        now.put("using", used);
        Report report = new Report(proposalId, differences.isEmpty(), differences, recorded, now);
        audit.append(AuditEvent.of(AuditEventType.DECISION_REPLAYED, actor, patient, Map.of(
                "proposal", proposalId, "matches", report.matches(), "differences", differences)));
        return report;
    }

    /** The recorded decision context; a decision recorded before contexts were kept replays with the reading alone. */
    @SuppressWarnings("unchecked")
    static DecisionContext context(BloodPressureReading trigger, Map<String, Object> c) {
        if (c == null) {
            return DecisionContext.readingOnly(trigger);
        }
        List<BloodPressureReading> readings = new ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) c.get("readings")) {
            readings.add(new BloodPressureReading((String) r.get("observation"), Instant.parse((String) r.get("effective")),
                    ((Number) r.get("systolic")).doubleValue(), ((Number) r.get("diastolic")).doubleValue()));
        }
        BloodPressureReading self = readings.stream().filter(r -> r.equals(trigger)).findFirst().orElse(trigger);
        Map<String, Object> a = (Map<String, Object>) c.get("autonomy");
        AutonomyState autonomy = new AutonomyState(((Number) a.get("consecutiveApprovals")).intValue(),
                ((Number) a.get("required")).intValue(), (Boolean) a.get("earned"));
        String last = (String) c.get("lastAutoChange");
        AutoChangeHistory changes = new AutoChangeHistory("null".equals(last) ? null : Instant.parse(last),
                ((Number) c.get("autoChangesLast30Days")).intValue());
        Map<String, Object> k = (Map<String, Object>) c.get("clinical");
        ClinicalContext clinical = new ClinicalContext(nullable(k.get("pregnant"), Boolean::valueOf),
                nullable(k.get("potassium"), Double::valueOf), nullable(k.get("egfrDropPercent"), Double::valueOf),
                nullable(k.get("hypotensionSymptom"), s -> s));
        return new DecisionContext(self, readings, autonomy, changes, clinical, Instant.parse((String) c.get("now")));
    }

    private static <T> T nullable(Object v, java.util.function.Function<String, T> parse) {
        return v == null || "null".equals(v) ? null : parse.apply(v.toString());
    }

    private SafetyRules rules(String version) {
        if (version.equals(current.version())) {
            return current;
        }
        return ruleSets.computeIfAbsent(version, v -> new SafetyRules(store.ruleSet(v).orElseThrow(() ->
                new UnknownResourceException("Rule set " + v + " was never stored; the decision cannot be replayed."))));
    }

    /** The detail of the newest audit entry of {@code type} about {@code patient} whose {@code key} is {@code value}. */
    private Map<String, Object> detail(String patient, AuditEventType type, String key, String value) {
        for (AuditEntry e : audit.read(new AuditQuery(patient, type, 1000))) {
            Map<String, Object> d = EntryCodec.parseDetail(e.detailJson());
            if (value.equals(d.get(key))) {
                return d;
            }
        }
        throw new UnknownResourceException("No " + type + " entry with " + key + " " + value + " for patient " + patient
                + " in the audit log.");
    }

    private static SafetyBounds bounds(Map<String, Object> b) {
        return new SafetyBounds((String) b.get("patientId"), ((Number) b.get("version")).intValue(),
                (String) b.get("protocol"), ((Number) b.get("lowestStep")).intValue(),
                ((Number) b.get("highestStep")).intValue(), ((Number) b.get("maxAutoSteps")).intValue(),
                ((Number) b.get("systolicFloor")).doubleValue(), ((Number) b.get("minConfidence")).doubleValue(),
                (Boolean) b.get("autonomyEnabled"),
                ((Number) b.getOrDefault("minDaysBetweenAutoChanges", 7)).intValue(),
                ((Number) b.getOrDefault("maxAutoChangesPer30Days", 2)).intValue(), (String) b.get("authoredBy"),
                Instant.parse((String) b.get("authoredAt")));
    }
}
