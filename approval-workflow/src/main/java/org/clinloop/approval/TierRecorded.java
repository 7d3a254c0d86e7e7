package org.clinloop.approval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.DetailReader;
import org.clinloop.recommendation.BloodPressureReading;

/**
 * What a {@code TIER_DECIDED} audit entry records: the rules' decision on a proposal with the
 * bounds and the context they weighed, so that {@link DecisionReplay} can re-run it. Owned here
 * because DecisionReplay is the lowest reader; fhir-ingest shows it as a FHIR Provenance.
 *
 * <p>Record version 1 (the only one; entries carry no {@code recordVersion} key). {@code context}
 * was added to version 1 later and is absent in older entries; so are the bounds' spacing and
 * monthly cap (see {@link #parseBounds}). {@link #toDetail} writes exactly what the workflow wrote
 * before this record existed: the same keys with the same value types (the bounds, rule firings,
 * alerts and autonomy as records), so a new entry's canonical bytes are unchanged.
 *
 * @param proposalId    the proposal decided
 * @param tier          where it went
 * @param fromStep      the dose step it was proposed from
 * @param toStep        the dose step it proposed
 * @param rulesFired    every rule that fired, in firing order
 * @param alerts        alerts the decision called for
 * @param rulesVersion  name and content hash of the rule set
 * @param boundsVersion the bounds version evaluated (0 = protocol default)
 * @param bounds        the bounds evaluated
 * @param context       what the rules weighed besides proposal and bounds; empty for entries
 *                      recorded before contexts were kept (they replay with the reading alone)
 */
public record TierRecorded(String proposalId, Tier tier, int fromStep, int toStep, List<RuleFiring> rulesFired,
                           List<Alert> alerts, String rulesVersion, int boundsVersion, SafetyBounds bounds,
                           Optional<Context> context) {

    /** The version of this record's shape; see the class comment for what version 1 may lack. */
    public static final int RECORD_VERSION = 1;
    public static final AuditEventType TYPE = AuditEventType.TIER_DECIDED;

    public TierRecorded {
        Objects.requireNonNull(proposalId, "Proposal id is required.");
        Objects.requireNonNull(tier, "Tier is required.");
        rulesFired = List.copyOf(rulesFired);
        alerts = List.copyOf(alerts);
        Objects.requireNonNull(rulesVersion, "Rules version is required.");
        Objects.requireNonNull(bounds, "Bounds are required.");
        Objects.requireNonNull(context, "Context is required (Optional.empty() when not recorded).");
    }

    /**
     * The decision context as recorded: the readings the rules looked at, autonomy, automatic
     * changes and the clinical values. Who asserted each clinical value is not part of the
     * record (the rules' reasons and alerts name it); it reads back as
     * {@link ClinicalContext.Provenance#UNRECORDED}.
     *
     * @param readings the relevant readings ({@link DecisionContext#relevantReadings}), oldest first
     * @param autonomy the patient's autonomy state
     * @param changes  the automatic changes already made (last one null when none)
     * @param clinical pregnancy, potassium, eGFR fall and reported symptom, null where unknown
     * @param now      when the decision was made
     */
    public record Context(List<BloodPressureReading> readings, AutonomyState autonomy, AutoChangeHistory changes,
                          ClinicalContext clinical, Instant now) {

        public Context {
            readings = List.copyOf(readings);
            Objects.requireNonNull(autonomy, "Autonomy state is required.");
            Objects.requireNonNull(changes, "Automatic change history is required.");
            Objects.requireNonNull(clinical, "Clinical context is required.");
            Objects.requireNonNull(now, "Decision time is required.");
        }

        /** What {@code c} records: the readings relevant under {@code limits}, the values without their sources. */
        public static Context of(DecisionContext c, ProtocolLimits limits) {
            ClinicalContext k = c.clinical();
            return new Context(c.relevantReadings(limits.crisisConfirmation()), c.autonomy(), c.changes(),
                    new ClinicalContext(k.pregnant(), k.potassium(), k.egfrDropPercent(), k.hypotensionSymptom()),
                    c.now());
        }

        /** The context to replay with, {@code trigger} being the reading the proposal names. */
        public DecisionContext toDecisionContext(BloodPressureReading trigger) {
            BloodPressureReading self = readings.stream().filter(r -> r.equals(trigger)).findFirst().orElse(trigger);
            return new DecisionContext(self, readings, autonomy, changes, clinical, now);
        }
    }

    /** The record of {@code decision} on {@code proposalId}, under {@code bounds}, in {@code context}. */
    public static TierRecorded of(String proposalId, TierDecision decision, SafetyBounds bounds, DecisionContext context,
                                  ProtocolLimits limits) {
        return new TierRecorded(proposalId, decision.tier(), decision.fromStep(), decision.toStep(), decision.fired(),
                decision.alerts(), decision.rulesVersion(), decision.boundsVersion(), bounds,
                Optional.of(Context.of(context, limits)));
    }

    /** The names of the rules that fired, in firing order. */
    public List<String> ruleNames() {
        return rulesFired.stream().map(RuleFiring::rule).toList();
    }

    /** The context to replay {@code trigger} in: the recorded one, or the reading alone for older entries. */
    public DecisionContext replayContext(BloodPressureReading trigger) {
        return context.map(c -> c.toDecisionContext(trigger)).orElseGet(() -> DecisionContext.readingOnly(trigger));
    }

    /** The detail of the audit entry: keys, order and value types as the workflow has always written them. */
    public Map<String, Object> toDetail() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("proposal", proposalId);
        d.put("tier", tier.name());
        d.put("fromStep", fromStep);
        d.put("toStep", toStep);
        d.put("rulesFired", rulesFired);
        d.put("alerts", alerts);
        d.put("rulesVersion", rulesVersion);
        d.put("boundsVersion", boundsVersion);
        d.put("bounds", bounds);
        context.ifPresent(c -> d.put("context", contextDetail(c)));
        return d;
    }

    private static Map<String, Object> contextDetail(Context c) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> readings = new ArrayList<>();
        for (BloodPressureReading r : c.readings()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            // Version 1 writes absent values with String.valueOf: the text "null". Kept for byte
            // compatibility; the parser reads it back as null.
            rm.put("observation", String.valueOf(r.observationId()));
            rm.put("effective", r.effective().toString());
            rm.put("systolic", r.systolic());
            rm.put("diastolic", r.diastolic());
            readings.add(rm);
        }
        m.put("readings", readings);
        m.put("autonomy", c.autonomy());
        m.put("lastAutoChange", String.valueOf(c.changes().lastAutoChange()));
        m.put("autoChangesLast30Days", c.changes().last30Days());
        Map<String, Object> clinical = new LinkedHashMap<>();
        clinical.put("pregnant", String.valueOf(c.clinical().pregnant()));
        clinical.put("potassium", String.valueOf(c.clinical().potassium()));
        clinical.put("egfrDropPercent", String.valueOf(c.clinical().egfrDropPercent()));
        clinical.put("hypotensionSymptom", String.valueOf(c.clinical().hypotensionSymptom()));
        m.put("clinical", clinical);
        m.put("now", c.now().toString());
        return m;
    }

    /** Parses the detail of a TIER_DECIDED entry. */
    public static TierRecorded fromEntry(AuditEntry entry) {
        return parse(DetailReader.of(TYPE, entry));
    }

    /**
     * Parses a TIER_DECIDED detail.
     *
     * @throws IllegalArgumentException for an unknown record version or a key of the wrong shape,
     *                                  naming it, expected versus found
     */
    public static TierRecorded fromDetail(Map<String, Object> detail) {
        return parse(DetailReader.of(TYPE, detail));
    }

    private static TierRecorded parse(DetailReader d) {
        d.requireRecordVersion(RECORD_VERSION);
        List<RuleFiring> fired = new ArrayList<>();
        for (DetailReader f : d.objects("rulesFired")) {
            fired.add(new RuleFiring(f.string("rule"), f.constant("verdict", Tier.class), f.string("reason")));
        }
        List<Alert> alerts = new ArrayList<>();
        for (DetailReader a : d.objects("alerts")) {
            alerts.add(new Alert(a.string("code"), a.string("severity"), a.string("detail")));
        }
        return new TierRecorded(d.string("proposal"), d.constant("tier", Tier.class), d.integer("fromStep"),
                d.integer("toStep"), fired, alerts, d.string("rulesVersion"), d.integer("boundsVersion"),
                parseBounds(d.object("bounds")),
                d.has("context") ? Optional.of(parseContext(d.object("context"))) : Optional.empty());
    }

    /**
     * Bounds recorded before spacing and monthly caps existed lack both (no rule spaced automatic
     * changes then); they read back with the values replay has given them since: 7 days between
     * automatic changes, 2 per 30 days.
     */
    static SafetyBounds parseBounds(DetailReader b) {
        return new SafetyBounds(b.string("patientId"), b.integer("version"), b.string("protocol"),
                b.integer("lowestStep"), b.integer("highestStep"), b.integer("maxAutoSteps"),
                b.number("systolicFloor"), b.number("minConfidence"), b.bool("autonomyEnabled"),
                b.has("minDaysBetweenAutoChanges") ? b.integer("minDaysBetweenAutoChanges") : 7,
                b.has("maxAutoChangesPer30Days") ? b.integer("maxAutoChangesPer30Days") : 2, b.string("authoredBy"),
                b.instant("authoredAt"));
    }

    private static Context parseContext(DetailReader c) {
        List<BloodPressureReading> readings = new ArrayList<>();
        for (DetailReader r : c.objects("readings")) {
            readings.add(new BloodPressureReading(r.legacyString("observation"), r.instant("effective"),
                    r.number("systolic"), r.number("diastolic")));
        }
        DetailReader a = c.object("autonomy");
        AutonomyState autonomy = new AutonomyState(a.integer("consecutiveApprovals"), a.integer("required"),
                a.bool("earned"));
        String last = c.legacyString("lastAutoChange");
        AutoChangeHistory changes = new AutoChangeHistory(last == null ? null : Instant.parse(last),
                c.integer("autoChangesLast30Days"));
        DetailReader k = c.object("clinical");
        String pregnant = k.legacyString("pregnant");
        String potassium = k.legacyString("potassium");
        String egfr = k.legacyString("egfrDropPercent");
        ClinicalContext clinical = new ClinicalContext(pregnant == null ? null : Boolean.valueOf(pregnant),
                potassium == null ? null : Double.valueOf(potassium), egfr == null ? null : Double.valueOf(egfr),
                k.legacyString("hypotensionSymptom"));
        return new Context(readings, autonomy, changes, clinical, c.instant("now"));
    }
}
