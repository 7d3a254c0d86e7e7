package org.clinloop.audit;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The append-only decision record: a hash chain and an RFC 6962 Merkle tree over the same
 * canonical entries, with signed tree heads and proofs an auditor can check without trusting
 * ClinLoop's database or operators.
 *
 * <p>An append joins the caller's transaction and stages the event there (an audit outbox): it is
 * durable exactly when the work it records commits, and never without it. No row is shared
 * between appending transactions. A sequencer then chains committed events in batches, under the
 * head row's lock, so the log never forks across threads or service instances; every read of the
 * log (entries, verification, tree heads, proofs, export) first chains what has committed, so it
 * sees every event committed before it.
 */
public interface AuditLog {

    /**
     * Records an event. Joins (or starts) a transaction; the event is durable exactly when that
     * transaction commits, and chained into the log moments later, in the order it was staged.
     */
    void append(AuditEvent event);

    /** Records several events, in order, in one transaction (joined, or started for them). */
    void appendAll(List<AuditEvent> events);

    /**
     * Starts chaining, and signing tree heads periodically, in the background, once the schema
     * exists (the service's readiness calls this).
     */
    void start();

    /** Events committed but not chained yet; a growing backlog means chaining has stalled. */
    AuditBacklog backlog();

    /** Recomputes every hash, link and signed tree head from the stored entries and reports the first break. */
    ChainVerification verify();

    /** Reads entries, newest first. */
    List<AuditEntry> read(AuditQuery query);

    Optional<AuditEntry> entry(long sequence);

    /** Streams committed entries {@code from..to} (inclusive) in order, for export and replay. */
    void forEach(long from, long to, Consumer<AuditEntry> sink);

    /**
     * A signed tree head for the committed log; a new one is signed when the log has grown (and,
     * in the background, every {@code clinloop.audit.sign-every-seconds} once started).
     *
     * @throws SigningKeyRefusedException when the signing key on disk is not the pinned one
     */
    SignedTreeHead treeHead();

    /** Why no tree head can be signed (the key on disk is not the pinned one), or empty. */
    Optional<String> signingRefusal();

    /** Signed tree heads issued so far, newest first. */
    List<SignedTreeHead> treeHeads(int limit);

    /** The public half of the key that signs tree heads. */
    TreeHeadKey signingKey();

    /** Proof that entry {@code sequence} is in the tree of the first {@code treeSize} entries. */
    InclusionProof inclusionProof(long sequence, long treeSize);

    /** Proof that the log of {@code first} entries is a prefix of the log of {@code second}. */
    ConsistencyProof consistencyProof(long first, long second);
}
