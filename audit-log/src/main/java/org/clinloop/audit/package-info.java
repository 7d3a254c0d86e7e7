/**
 * The audit log: an append-only, tamper-evident record of every ClinLoop decision.
 *
 * <p>Other modules use only this package: {@link org.clinloop.audit.AuditLog} to append and
 * verify, {@link org.clinloop.audit.AuditEvent} for what happened and
 * {@link org.clinloop.audit.AuditEntry} for what was recorded. Each entry is encoded in a
 * versioned canonical form ({@link org.clinloop.audit.EntryCodec}) and chained to the one before
 * it by SHA-256, so that a change to any recorded field, a removed entry or a reordering is
 * detected by {@link org.clinloop.audit.AuditLog#verify()}.
 *
 * <p>{@link org.clinloop.audit.Actor} names who acted; it travels with every decision so that
 * the record always says who did what.
 */
package org.clinloop.audit;
