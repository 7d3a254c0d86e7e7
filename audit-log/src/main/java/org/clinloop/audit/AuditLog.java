package org.clinloop.audit;

import java.util.List;

/**
 * The append-only decision record.
 *
 * <p>An append joins the caller's transaction: the entry becomes durable exactly when the
 * decision it records commits, and never without it. Appends are serialized across threads and
 * service instances sharing one database, so the log never forks.
 */
public interface AuditLog {

    /** Records an event and returns the entry as hashed. Requires an active transaction. */
    AuditEntry append(AuditEvent event);

    /** Recomputes every hash and link from the first entry and reports the first break. */
    ChainVerification verify();

    /** Reads entries, newest first. */
    List<AuditEntry> read(AuditQuery query);
}
