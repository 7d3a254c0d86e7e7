package org.clinloop.fairness;

import java.util.List;
import java.util.Map;

/**
 * How the rules and clinicians treated patient groups: rates of automatic delivery, approval,
 * rejection and alerts, and the time clinicians took, per group, against a reference group.
 *
 * @param proposals    proposals in the period
 * @param rates        each binary rate audited like Aequitas's predicted prevalence (events / population)
 * @param decisionTime the time from proposal to a clinician's decision, per attribute
 * @param test         the tests used
 */
public record HumanLoopReport(long proposals, Map<String, FairnessReport> rates,
                              List<DurationAudit> decisionTime, String test) {

    public static final String TESTS = "rates: Fisher's exact test, two-sided, group vs reference; "
            + "time to decision: Mann-Whitney U test, two-sided, group vs reference";

    /**
     * Time to decision for one attribute.
     *
     * @param attribute the attribute
     * @param reference the reference group (the majority group)
     * @param groups    median hours per group with the ratio to the reference and its p-value
     */
    public record DurationAudit(String attribute, String reference, List<GroupDuration> groups) {
    }

    /**
     * @param group       the group
     * @param decided     tasks decided (null counts when suppressed)
     * @param medianHours median hours from proposal to decision, or null
     * @param ratio       median / reference median, or null when undefined
     * @param pValue      Mann-Whitney two-sided p against the reference, or null
     * @param suppressed  fewer decided tasks than the minimum group size
     */
    public record GroupDuration(String group, Long decided, Double medianHours, Double ratio, Double pValue,
                                boolean suppressed) {
    }
}
