package org.clinloop.fairness;

/** What a stored fairness report audits. */
public enum ReportKind {
    /** The model's proposals against outcomes. */
    MODEL,
    /** What rules and clinicians did with the proposals. */
    HUMAN_LOOP,
    /** An uploaded table in the Aequitas layout. */
    TABLE
}
