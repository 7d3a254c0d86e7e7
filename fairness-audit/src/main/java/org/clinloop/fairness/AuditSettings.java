package org.clinloop.fairness;

import java.util.List;
import java.util.Map;

/**
 * How to audit.
 *
 * @param tau             parity threshold: fair when {@code tau ≤ disparity ≤ 1/tau} (Aequitas default 0.8)
 * @param reference       how reference groups are chosen
 * @param namedReferences attribute → reference group, for {@link ReferencePolicy#NAMED}
 * @param alpha           significance level of the tests
 * @param minGroupSize    groups smaller than this are suppressed (counts and rates withheld, marked)
 * @param intersections   pairs of attributes audited together, e.g. [race, sex] → "race×sex"
 */
public record AuditSettings(double tau, ReferencePolicy reference, Map<String, String> namedReferences, double alpha,
                            int minGroupSize, List<List<String>> intersections) {

    public static final AuditSettings AEQUITAS_DEFAULTS = new AuditSettings(0.8, ReferencePolicy.MAJORITY, Map.of(),
            0.05, 1, List.of());

    public AuditSettings {
        if (!(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("Expected tau in (0, 1], found " + tau + ".");
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("Expected alpha in (0, 1), found " + alpha + ".");
        }
        if (minGroupSize < 1) {
            throw new IllegalArgumentException("Expected a minimum group size of at least 1, found " + minGroupSize + ".");
        }
        namedReferences = Map.copyOf(namedReferences);
        intersections = intersections.stream().map(List::copyOf).toList();
        for (List<String> pair : intersections) {
            if (pair.size() != 2 || pair.get(0).equals(pair.get(1))) {
                throw new IllegalArgumentException("Expected intersections of two different attributes, found " + pair + ".");
            }
        }
        if (reference == ReferencePolicy.NAMED && namedReferences.isEmpty()) {
            throw new IllegalArgumentException("Expected a reference group per attribute for NAMED, found none.");
        }
    }

    public AuditSettings withReference(ReferencePolicy policy, Map<String, String> named) {
        return new AuditSettings(tau, policy, named, alpha, minGroupSize, intersections);
    }

    public AuditSettings withMinGroupSize(int size) {
        return new AuditSettings(tau, reference, namedReferences, alpha, size, intersections);
    }

    public AuditSettings withIntersections(List<List<String>> pairs) {
        return new AuditSettings(tau, reference, namedReferences, alpha, minGroupSize, pairs);
    }

    public AuditSettings withTau(double t) {
        return new AuditSettings(t, reference, namedReferences, alpha, minGroupSize, intersections);
    }
}
