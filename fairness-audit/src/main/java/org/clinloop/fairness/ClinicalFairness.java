package org.clinloop.fairness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.clinloop.approval.DecisionLedger;
import org.clinloop.approval.DecisionRecord;
import org.clinloop.approval.TaskStatus;
import org.clinloop.approval.Tier;

/**
 * ClinLoop's own audits: the model (INCREASE proposals against blood pressure still uncontrolled
 * 30 days later) and the human loop (what rules and clinicians did with the proposals), by sex,
 * age band, race, ethnicity and device type, plus chosen intersections.
 */
@ApplicationScoped
public class ClinicalFairness {

    /** The outcome window: the week ending 30 days after the proposal. */
    static final Duration OUTCOME_END = Duration.ofDays(30);
    static final Duration OUTCOME_START = Duration.ofDays(23);

    /** The binary rates of the human loop, each over its own population. */
    public enum Rate {
        /** Proposals delivered without a clinician, over all proposals that changed the dose. */
        AUTO_RATE,
        /** Tasks approved, over tasks a clinician decided. */
        APPROVAL_RATE,
        /** Tasks rejected, over tasks a clinician decided. */
        REJECTION_RATE,
        /** Tasks approved with a different dose than proposed, over tasks a clinician decided. */
        MODIFICATION_RATE,
        /** Proposals blocked by the rules, over all proposals that changed the dose. */
        BLOCK_RATE,
        /** Proposals raising an alert, over all proposals. */
        ALERT_RATE
    }

    @Inject
    DecisionLedger ledger;
    @Inject
    PatientAttributes attributes;
    @Inject
    BloodPressureOutcomes outcomes;

    /** The model audit over proposals made in [from, to) whose outcome window has readings. */
    public FairnessReport model(Instant from, Instant to, AuditSettings settings) {
        Map<String, Optional<PatientAttributes.Profile>> profiles = new HashMap<>();
        FairnessTable table = new FairnessTable(PatientAttributes.NAMES);
        for (DecisionRecord d : ledger.between(from, to)) {
            Optional<Boolean> uncontrolled = outcomes.uncontrolled(d.patientId(),
                    d.proposedAt().plus(OUTCOME_START), d.proposedAt().plus(OUTCOME_END));
            if (uncontrolled.isPresent()) {
                table.add("INCREASE".equals(d.direction()), uncontrolled.get(), groups(d, profiles));
            }
        }
        return FairnessAudit.audit(table, settings);
    }

    public HumanLoopReport humanLoop(Instant from, Instant to, AuditSettings settings) {
        List<DecisionRecord> decisions = ledger.between(from, to);
        Map<String, Optional<PatientAttributes.Profile>> profiles = new HashMap<>();
        Map<String, String[]> groupsOf = new HashMap<>();
        for (DecisionRecord d : decisions) {
            groupsOf.put(d.proposalId(), groups(d, profiles));
        }
        Map<String, FairnessReport> rates = new LinkedHashMap<>();
        Predicate<DecisionRecord> changed = d -> !"HOLD".equals(d.direction());
        Predicate<DecisionRecord> decided = d -> d.taskStatus() == TaskStatus.APPROVED || d.taskStatus() == TaskStatus.REJECTED;
        rates.put(Rate.AUTO_RATE.name(), rate(decisions, groupsOf, changed, d -> d.tier() == Tier.AUTO, settings));
        rates.put(Rate.APPROVAL_RATE.name(), rate(decisions, groupsOf, decided, d -> d.taskStatus() == TaskStatus.APPROVED, settings));
        rates.put(Rate.REJECTION_RATE.name(), rate(decisions, groupsOf, decided, d -> d.taskStatus() == TaskStatus.REJECTED, settings));
        rates.put(Rate.MODIFICATION_RATE.name(), rate(decisions, groupsOf, decided, DecisionRecord::modified, settings));
        rates.put(Rate.BLOCK_RATE.name(), rate(decisions, groupsOf, changed, d -> d.tier() == Tier.BLOCKED, settings));
        rates.put(Rate.ALERT_RATE.name(), rate(decisions, groupsOf, d -> true, d -> !d.alertCodes().isEmpty(), settings));
        return new HumanLoopReport(decisions.size(), rates, decisionTimes(decisions, groupsOf, settings), HumanLoopReport.TESTS);
    }

    /**
     * A binary rate per group, audited as the predicted prevalence of a table whose "prediction"
     * is the event: PPREV is events / population, its disparity, Fisher test and IMPACT parity
     * are exactly the rate's.
     */
    private static FairnessReport rate(List<DecisionRecord> decisions, Map<String, String[]> groupsOf,
                                       Predicate<DecisionRecord> population, Predicate<DecisionRecord> event,
                                       AuditSettings settings) {
        FairnessTable table = new FairnessTable(PatientAttributes.NAMES);
        for (DecisionRecord d : decisions) {
            if (population.test(d)) {
                table.add(event.test(d), false, groupsOf.get(d.proposalId()));
            }
        }
        return FairnessAudit.audit(table, settings);
    }

    /**
     * The groups of a decision's patient, in {@link PatientAttributes#NAMES} order, the age band as
     * of the decision; {@code profiles} caches each patient's profile for one audit run.
     */
    private String[] groups(DecisionRecord d, Map<String, Optional<PatientAttributes.Profile>> profiles) {
        PatientAttributes.Profile p = profiles.computeIfAbsent(d.patientId(), attributes::profile).orElse(null);
        if (p == null) {
            return new String[PatientAttributes.NAMES.size()];
        }
        return new String[] {p.sex(), p.ageBand(d.proposedAt().atZone(java.time.ZoneOffset.UTC).toLocalDate()), p.race(),
            p.ethnicity(), p.deviceType()};
    }

    private static List<HumanLoopReport.DurationAudit> decisionTimes(List<DecisionRecord> decisions,
                                                                     Map<String, String[]> groupsOf,
                                                                     AuditSettings settings) {
        List<HumanLoopReport.DurationAudit> out = new ArrayList<>();
        for (int a = 0; a < PatientAttributes.NAMES.size(); a++) {
            Map<String, List<Double>> hours = new LinkedHashMap<>();
            for (DecisionRecord d : decisions) {
                if (d.taskDecidedAt() != null) {
                    String g = groupsOf.get(d.proposalId())[a];
                    hours.computeIfAbsent(g == null || g.isBlank() ? FairnessTable.MISSING : g, k -> new ArrayList<>())
                            .add(Duration.between(d.proposedAt(), d.taskDecidedAt()).toMillis() / 3_600_000.0);
                }
            }
            String reference = hours.entrySet().stream().filter(e -> e.getValue().size() >= settings.minGroupSize())
                    .max(Map.Entry.<String, List<Double>>comparingByValue((x, y) -> Integer.compare(x.size(), y.size()))
                            .thenComparing(Map.Entry.comparingByKey((x, y) -> y.compareTo(x))))
                    .map(Map.Entry::getKey).orElse(null);
            Double refMedian = reference == null ? null : median(hours.get(reference));
            List<HumanLoopReport.GroupDuration> groups = new ArrayList<>();
            for (Map.Entry<String, List<Double>> e : hours.entrySet()) {
                if (e.getValue().size() < settings.minGroupSize()) {
                    groups.add(new HumanLoopReport.GroupDuration(e.getKey(), null, null, null, null, true));
                    continue;
                }
                double median = median(e.getValue());
                Double ratio = refMedian == null || refMedian == 0 ? null : median / refMedian;
                Double p = reference == null || reference.equals(e.getKey()) ? null
                        : MannWhitneyUTest.withDefaults().test(toArray(e.getValue()), toArray(hours.get(reference))).getPValue();
                groups.add(new HumanLoopReport.GroupDuration(e.getKey(), (long) e.getValue().size(), median, ratio, p, false));
            }
            groups.sort((x, y) -> x.group().compareTo(y.group()));
            out.add(new HumanLoopReport.DurationAudit(PatientAttributes.NAMES.get(a), reference, groups));
        }
        return out;
    }

    static double median(List<Double> values) {
        double[] v = toArray(values);
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
