package org.clinloop.fairness;

import java.util.List;
import java.util.Map;

/**
 * The result of one audit.
 *
 * @param settings         how it was audited
 * @param rows             rows in the input
 * @param k                predicted positives in the whole input (the denominator of PPR)
 * @param significanceTest the test behind every p-value
 * @param attributes       one audit per attribute (and per intersection)
 * @param overall          each parity across every attribute and group (null: undefined somewhere, none false)
 */
public record FairnessReport(AuditSettings settings, long rows, long k, String significanceTest,
                             List<AttributeAudit> attributes, Map<Parity, Boolean> overall) {

    public static final String FISHER = "Fisher's exact test, two-sided, on the 2x2 table (group, reference) x "
            + "(event, non-event) over each metric's denominator; when every expected cell count is at least 1000, "
            + "Pearson's chi-square test (1 df, no continuity correction), which then agrees with it to under 1e-3; "
            + "PPR is a share of the whole input and is not tested";

    /**
     * One attribute's groups.
     *
     * @param attribute  e.g. "race", or "race×sex" for an intersection
     * @param references the reference group per metric (one group for NAMED and MAJORITY)
     * @param groups     every group of the attribute
     * @param parity     each parity across all of the attribute's unsuppressed groups
     */
    public record AttributeAudit(String attribute, Map<Metric, String> references, List<GroupAudit> groups,
                                 Map<Parity, Boolean> parity) {
    }

    /**
     * One group.
     *
     * @param group       the attribute value
     * @param size        rows in the group
     * @param suppressed  true when smaller than the minimum group size: counts, rates and
     *                    disparities are withheld
     * @param counts      confusion matrix, or null when suppressed
     * @param metrics     each metric, or empty when suppressed
     * @param disparities each metric against its reference group, or empty when suppressed
     * @param parity      each parity (null: undefined), or empty when suppressed
     */
    public record GroupAudit(String group, long size, boolean suppressed, Counts counts, Map<Metric, Ratio> metrics,
                             Map<Metric, Disparity> disparities, Map<Parity, Boolean> parity) {
    }

    /**
     * A metric of a group against its reference group.
     *
     * @param reference   the reference group
     * @param ratio       metric(group) / metric(reference), or null when undefined
     * @param pValue      two-sided p-value, or null when not tested or undefined
     * @param significant whether {@code pValue < alpha}, or null
     */
    public record Disparity(String reference, Double ratio, Double pValue, Boolean significant) {
    }
}
