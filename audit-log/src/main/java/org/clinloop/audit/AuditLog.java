package org.clinloop.audit;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The append-only decision record: a hash chain and an RFC 6962 Merkle tree over the same
 * canonical entries, with signed tree heads and proofs an auditor can check without trusting
 * ClinLoop's database or operators.
 *
 * <p>An append joins the caller's transaction: the entry becomes durable exactly when the
 * decision it records commits, and never without it. Appends are serialized across threads and
 * service instances sharing one database (the head row is locked), so the log never forks.
 */
public interface AuditLog {

    /**
     * Records an event. Joins (or starts) a transaction; the entry is durable exactly when that
     * transaction commits. Inside {@link #gathered} it is written when the gathered work returns.
     */
    void append(AuditEvent event);

    /**
     * Runs {@code work} (in the caller's transaction) with the events it appends in that
     * transaction gathered, and writes them together, in order, when it returns. The log's head is
     * then locked only for the writing, not for all the work before it, so concurrent decisions
     * no longer wait for each other's model and rules. Appends made in another transaction (a
     * {@code REQUIRES_NEW} inside the work) are written at once in that transaction. If the work
     * throws, nothing gathered is written (its transaction is rolling back). Nested calls join the
     * outermost.
     */
    default <T> T gathered(Supplier<T> work) {
        return work.get();
    }

    /** Recomputes every hash, link and signed tree head from the stored entries and reports the first break. */
    ChainVerification verify();

    /** Reads entries, newest first. */
    List<AuditEntry> read(AuditQuery query);

    Optional<AuditEntry> entry(long sequence);

    /** Streams committed entries {@code from..to} (inclusive) in order, for export and replay. */
    void forEach(long from, long to, Consumer<AuditEntry> sink);

    /** A signed tree head for the committed log; a new one is signed when the log has grown. */
    SignedTreeHead treeHead();

    /** Signed tree heads issued so far, newest first. */
    List<SignedTreeHead> treeHeads(int limit);

    /** The public half of the key that signs tree heads. */
    TreeHeadKey signingKey();

    /** Proof that entry {@code sequence} is in the tree of the first {@code treeSize} entries. */
    InclusionProof inclusionProof(long sequence, long treeSize);

    /** Proof that the log of {@code first} entries is a prefix of the log of {@code second}. */
    ConsistencyProof consistencyProof(long first, long second);
}
