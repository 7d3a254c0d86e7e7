package org.clinloop.fairness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.FisherExactTest;

/**
 * Computes group metrics, disparities, their significance and the parity determinations with the
 * Aequitas definitions. One pass over the rows counts every attribute and intersection at once;
 * everything after works on the counts.
 */
public final class FairnessAudit {

    /** Joins the two group names of an intersection, and the two attribute names. */
    public static final String INTERSECTION = "×";

    private static final FisherExactTest FISHER = FisherExactTest.withDefaults();
    private static final ChiSquareTest CHI_SQUARE = ChiSquareTest.withDefaults();
    /**
     * Fisher's exact test costs time in proportion to the table's margins; once every expected
     * cell count reaches this, Pearson's chi-square test (1 df) agrees with it to well under 1e-3
     * and is used instead.
     */
    static final double LARGE_SAMPLE_EXPECTED_COUNT = 1000;

    private FairnessAudit() {
    }

    public static FairnessReport audit(FairnessTable table, AuditSettings settings) {
        List<Dimension> dimensions = dimensions(table, settings);
        long[][][] counts = new long[dimensions.size()][][];
        for (int d = 0; d < dimensions.size(); d++) {
            counts[d] = new long[dimensions.get(d).groupCount()][4];
        }
        long k = 0;
        for (int r = 0; r < table.rows(); r++) {
            boolean s = table.score(r);
            int cell = (s ? 0 : 2) + (table.label(r) ? 0 : 1);
            if (s) {
                k++;
            }
            for (int d = 0; d < dimensions.size(); d++) {
                counts[d][dimensions.get(d).code(table, r)][cell]++;
            }
        }
        List<FairnessReport.AttributeAudit> audits = new ArrayList<>();
        for (int d = 0; d < dimensions.size(); d++) {
            audits.add(attribute(dimensions.get(d), counts[d], k, settings));
        }
        Map<Parity, Boolean> overall = new EnumMap<>(Parity.class);
        for (Parity p : Parity.values()) {
            overall.put(p, conjunction(audits.stream().map(a -> a.parity().get(p)).toList()));
        }
        return new FairnessReport(settings, table.rows(), k, FairnessReport.FISHER, audits, overall);
    }

    /** An attribute or an intersection of two. */
    private record Dimension(String name, int first, int second, List<String> firstGroups, List<String> secondGroups) {
        int groupCount() {
            return second < 0 ? firstGroups.size() : firstGroups.size() * secondGroups.size();
        }

        int code(FairnessTable t, int row) {
            int c = t.code(first, row);
            return second < 0 ? c : c * secondGroups.size() + t.code(second, row);
        }

        String group(int code) {
            return second < 0 ? firstGroups.get(code)
                    : firstGroups.get(code / secondGroups.size()) + INTERSECTION + secondGroups.get(code % secondGroups.size());
        }
    }

    private static List<Dimension> dimensions(FairnessTable table, AuditSettings settings) {
        List<Dimension> out = new ArrayList<>();
        for (int a = 0; a < table.attributes().size(); a++) {
            out.add(new Dimension(table.attributes().get(a), a, -1, table.groups(a), List.of()));
        }
        for (List<String> pair : settings.intersections()) {
            int a = table.attributeIndex(pair.get(0));
            int b = table.attributeIndex(pair.get(1));
            out.add(new Dimension(pair.get(0) + INTERSECTION + pair.get(1), a, b, table.groups(a), table.groups(b)));
        }
        return out;
    }

    private static FairnessReport.AttributeAudit attribute(Dimension dim, long[][] cells, long k, AuditSettings settings) {
        Map<String, Counts> groups = new LinkedHashMap<>();
        for (int code = 0; code < cells.length; code++) {
            long[] c = cells[code];
            if (c[0] + c[1] + c[2] + c[3] > 0) {
                groups.put(dim.group(code), new Counts(c[0], c[1], c[3], c[2]));
            }
        }
        List<String> eligible = groups.entrySet().stream()
                .filter(e -> e.getValue().size() >= settings.minGroupSize()).map(Map.Entry::getKey).sorted().toList();
        Map<Metric, String> references = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            references.put(m, reference(dim.name(), m, groups, eligible, k, settings));
        }
        List<FairnessReport.GroupAudit> audits = new ArrayList<>();
        for (Map.Entry<String, Counts> e : groups.entrySet()) {
            Counts c = e.getValue();
            if (c.size() < settings.minGroupSize()) {
                audits.add(new FairnessReport.GroupAudit(e.getKey(), c.size(), true, null, Map.of(), Map.of(), Map.of()));
                continue;
            }
            Map<Metric, Ratio> metrics = new EnumMap<>(Metric.class);
            Map<Metric, FairnessReport.Disparity> disparities = new EnumMap<>(Metric.class);
            Map<Parity, Boolean> parity = new EnumMap<>(Parity.class);
            for (Metric m : Metric.values()) {
                metrics.put(m, m.of(c, k));
                String ref = references.get(m);
                disparities.put(m, disparity(m, e.getKey(), c, ref, ref == null ? null : groups.get(ref), k, settings));
            }
            for (Parity p : Parity.values()) {
                if (p.metric() != null) {
                    parity.put(p, Parity.fair(disparities.get(p.metric()).ratio(), settings.tau()));
                }
            }
            for (Parity p : Parity.values()) {
                if (p.metric() == null) {
                    parity.put(p, p.evaluate(parity));
                }
            }
            audits.add(new FairnessReport.GroupAudit(e.getKey(), c.size(), false, c, metrics, disparities, parity));
        }
        audits.sort(Comparator.comparing(FairnessReport.GroupAudit::group));
        Map<Parity, Boolean> attributeParity = new EnumMap<>(Parity.class);
        for (Parity p : Parity.values()) {
            attributeParity.put(p, conjunction(audits.stream().filter(g -> !g.suppressed()).map(g -> g.parity().get(p))
                    .toList()));
        }
        return new FairnessReport.AttributeAudit(dim.name(), references, audits, attributeParity);
    }

    private static String reference(String attribute, Metric m, Map<String, Counts> groups, List<String> eligible, long k,
                                    AuditSettings settings) {
        return switch (settings.reference()) {
            case NAMED -> {
                String named = namedReference(attribute, settings);
                if (named == null || !groups.containsKey(named)) {
                    throw new IllegalArgumentException("Expected reference group for " + attribute + " among "
                            + groups.keySet() + ", found " + named + ".");
                }
                if (!eligible.contains(named)) {
                    throw new IllegalArgumentException("Reference group " + attribute + "=" + named
                            + " is smaller than the minimum group size " + settings.minGroupSize() + ".");
                }
                yield named;
            }
            case MAJORITY -> eligible.stream().max(Comparator.comparingLong((String g) -> groups.get(g).size())
                    .thenComparing(Comparator.reverseOrder())).orElse(null);
            case MIN_METRIC -> eligible.stream().filter(g -> m.of(groups.get(g), k).defined())
                    .min(Comparator.comparingDouble((String g) -> m.of(groups.get(g), k).value())
                            .thenComparing(Comparator.naturalOrder())).orElse(null);
        };
    }

    private static String namedReference(String attribute, AuditSettings settings) {
        String named = settings.namedReferences().get(attribute);
        int split = attribute.indexOf(INTERSECTION);
        if (named == null && split > 0) {
            String a = settings.namedReferences().get(attribute.substring(0, split));
            String b = settings.namedReferences().get(attribute.substring(split + INTERSECTION.length()));
            named = a == null || b == null ? null : a + INTERSECTION + b;
        }
        return named;
    }

    private static FairnessReport.Disparity disparity(Metric m, String group, Counts c, String ref, Counts refCounts,
                                                      long k, AuditSettings settings) {
        if (ref == null) {
            return new FairnessReport.Disparity(null, null, null, null);
        }
        Ratio mine = m.of(c, k);
        Ratio theirs = m.of(refCounts, k);
        Double ratio = mine.defined() && theirs.defined() && theirs.numerator() != 0
                ? mine.value() / theirs.value() : null;
        if (group.equals(ref)) {
            return new FairnessReport.Disparity(ref, ratio, ratio == null ? null : 1.0, ratio == null ? null : false);
        }
        if (!m.testable() || !mine.defined() || !theirs.defined()) {
            return new FairnessReport.Disparity(ref, ratio, null, null);
        }
        double p = pValue(mine.numerator(), mine.denominator() - mine.numerator(),
                theirs.numerator(), theirs.denominator() - theirs.numerator());
        return new FairnessReport.Disparity(ref, ratio, p, p < settings.alpha());
    }

    /** Two-sided p of the 2×2 table [[a, b], [c, d]]: Fisher's exact test, or chi-square for large samples. */
    static double pValue(long a, long b, long c, long d) {
        double n = a + b + c + d;
        double minExpected = Math.min(Math.min((a + b) * (a + c), (a + b) * (b + d)),
                Math.min((c + d) * (a + c), (c + d) * (b + d))) / n;
        if (minExpected >= LARGE_SAMPLE_EXPECTED_COUNT) {
            return CHI_SQUARE.test(new long[][] {{a, b}, {c, d}}).getPValue();
        }
        return FISHER.test(new int[][] {{Math.toIntExact(a), Math.toIntExact(b)}, {Math.toIntExact(c), Math.toIntExact(d)}})
                .getPValue();
    }

    /** False if any is false; else null if any is null; else true (true for none). */
    static Boolean conjunction(List<Boolean> values) {
        boolean undefined = false;
        for (Boolean v : values) {
            if (Boolean.FALSE.equals(v)) {
                return false;
            }
            undefined |= v == null;
        }
        return undefined ? null : true;
    }
}
