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
import java.util.function.Function;
import java.util.function.Predicate;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.recommendation.BloodPressureReading;
import org.clinloop.recommendation.Direction;
import org.clinloop.recommendation.ModelRegistry;
import org.clinloop.recommendation.ProposalRecorded;
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
    public Report replay(String proposalId, Actor actor) {
        if (!actor.hasRole(Roles.COMPLIANCE_OFFICER)) {
            throw new AccessRefusedException("Expected a compliance officer to replay decisions, found " + actor.id() + ".");
        }
        String patient = store.proposalPatient(proposalId)
                .orElseThrow(() -> new UnknownResourceException("No proposal " + proposalId + "."));
        ProposalRecorded proposal = newest(patient, ProposalRecorded.TYPE, ProposalRecorded::fromEntry,
                p -> proposalId.equals(p.proposalId()), "proposal " + proposalId);
        TierRecorded decision = newest(patient, TierRecorded.TYPE, TierRecorded::fromEntry,
                t -> proposalId.equals(t.proposalId()), "proposal " + proposalId);
        String observation = proposal.observationId();
        if (observation == null) {
            throw new UnknownResourceException("Proposal " + proposalId + " names no triggering observation; the"
                    + " decision cannot be replayed.");
        }
        ReadingRecorded reading = newest(patient, ReadingRecorded.TYPE, ReadingRecorded::fromEntry,
                r -> observation.equals(r.observationId()), "observation " + observation);
        List<String> differences = new ArrayList<>();

        // The model, from the recorded feature values.
        ProposalRecorded.Model model = proposal.model();
        String modelId = model.id();
        TitrationModel m = models.load(modelId)
                .orElseThrow(() -> new UnknownResourceException("Model " + modelId + " is no longer in the registry."));
        if (!m.version().provenanceHash().equals(model.provenanceHash())) {
            differences.add("model provenance: recorded " + model.provenanceHash() + ", registry has "
                    + m.version().provenanceHash());
        }
        TitrationFeatures features = proposal.titrationFeatures();
        Map<Direction, Double> probabilities = m.probabilities(features);
        Direction direction = Recommender.choose(probabilities);
        if (direction != proposal.direction()) {
            differences.add("direction: recorded " + proposal.direction() + ", replayed " + direction);
        }
        for (Direction d : Direction.values()) {
            Double was = proposal.probabilities().get(d);
            if (was == null || Math.abs(was - probabilities.get(d)) > TOLERANCE) {
                differences.add("probability of " + d + ": recorded " + was + ", replayed " + probabilities.get(d));
            }
        }

        // The rules, of the recorded version, over the recorded bounds, step and reading.
        String rulesVersion = decision.rulesVersion();
        SafetyRules rules = rules(rulesVersion);
        SafetyBounds bounds = decision.bounds();
        int from = decision.fromStep();
        int steps = proposal.steps();
        int replayedSteps = m.steps(features, direction);
        if (replayedSteps != steps) {
            differences.add("steps: recorded " + steps + ", replayed " + replayedSteps);
        }
        double probability = probabilities.get(direction);
        ProposedStep step = new ProposedStep(from, from + direction.sign() * steps, probability);
        BloodPressureReading trigger = reading.bloodPressure().orElseThrow(() -> new UnknownResourceException(
                "Expected observation " + observation + " to be a blood pressure, found "
                        + reading.kind().orElse("another kind") + "; the decision cannot be replayed."));
        TierDecision replayed = rules.evaluate(step, bounds, Protocols.require(bounds.protocol()),
                decision.replayContext(trigger));
        if (replayed.tier() != decision.tier()) {
            differences.add("tier: recorded " + decision.tier() + ", replayed " + replayed.tier());
        }
        Set<String> recordedRules = new HashSet<>(decision.ruleNames());
        if (!recordedRules.equals(new HashSet<>(replayed.ruleNames()))) {
            differences.add("rules fired: recorded " + recordedRules + ", replayed " + replayed.ruleNames());
        }
        Set<String> recordedAlerts = new HashSet<>();
        decision.alerts().forEach(a -> recordedAlerts.add(a.code()));
        Set<String> replayedAlerts = new HashSet<>();
        replayed.alerts().forEach(a -> replayedAlerts.add(a.code()));
        if (!recordedAlerts.equals(replayedAlerts)) {
            differences.add("alerts: recorded " + recordedAlerts + ", replayed " + replayedAlerts);
        }

        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("direction", proposal.direction().name());
        recorded.put("probabilities", byName(proposal.probabilities()));
        recorded.put("tier", decision.tier().name());
        recorded.put("rulesFired", recordedRules);
        recorded.put("alerts", recordedAlerts);
        Map<String, Object> now = new LinkedHashMap<>();
        now.put("direction", direction.name());
        now.put("probabilities", byName(probabilities));
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

    private static Map<String, Double> byName(Map<Direction, Double> probabilities) {
        Map<String, Double> out = new LinkedHashMap<>();
        probabilities.forEach((d, v) -> out.put(d.name(), v));
        return out;
    }

    private SafetyRules rules(String version) {
        if (version.equals(current.version())) {
            return current;
        }
        return ruleSets.computeIfAbsent(version, v -> new SafetyRules(store.ruleSet(v).orElseThrow(() ->
                new UnknownResourceException("Rule set " + v + " was never stored; the decision cannot be replayed."))));
    }

    /** The newest audit entry of {@code type} about {@code patient}, as its record, that {@code matches}. */
    private <R> R newest(String patient, AuditEventType type, Function<AuditEntry, R> parse, Predicate<R> matches,
                         String what) {
        return RecordedDecisions.newest(audit, patient, type, 1000, parse, matches).orElseThrow(() ->
                new UnknownResourceException("No " + type + " entry for " + what + " of patient " + patient
                        + " in the audit log."));
    }
}
