package org.clinloop.fairness;

/** How the reference group of each attribute is chosen (Aequitas's three ways). */
public enum ReferencePolicy {
    /** A named group per attribute ({@link AuditSettings#namedReferences()}). */
    NAMED,
    /** The largest group of the attribute. */
    MAJORITY,
    /** Per metric, the group with the lowest value of that metric. */
    MIN_METRIC
}
