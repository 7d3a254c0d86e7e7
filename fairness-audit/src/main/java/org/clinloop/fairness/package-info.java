/**
 * Group fairness, with the definitions of the Aequitas toolkit, for any table of binary
 * predictions ({@code score}), outcomes ({@code label_value}) and group attributes, and for
 * what ClinLoop's model, rules and clinicians did.
 *
 * <p>Public surface: {@link org.clinloop.fairness.FairnessTable} (the input, columnar),
 * {@link org.clinloop.fairness.AequitasCsv} (reads the Aequitas CSV layout),
 * {@link org.clinloop.fairness.FairnessAudit} (computes a {@link org.clinloop.fairness.FairnessReport}
 * under {@link org.clinloop.fairness.AuditSettings}), {@link org.clinloop.fairness.Metric},
 * {@link org.clinloop.fairness.Parity} and {@link org.clinloop.fairness.Ratio} (a rate that knows
 * when it is undefined).
 */
package org.clinloop.fairness;
