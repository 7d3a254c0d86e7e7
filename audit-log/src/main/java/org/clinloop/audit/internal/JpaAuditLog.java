package org.clinloop.audit.internal;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicReference;
import org.clinloop.audit.AuditBacklog;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditQuery;
import org.clinloop.audit.ChainVerification;
import org.clinloop.audit.ChainVerifier;
import org.clinloop.audit.ConsistencyProof;
import org.clinloop.audit.EntryCodec;
import org.clinloop.audit.InclusionProof;
import org.clinloop.audit.MerkleTree;
import org.clinloop.audit.SignedTreeHead;
import org.clinloop.audit.TreeHeadKey;

/** {@link AuditLog} on the shared relational database. */
@ApplicationScoped
public class JpaAuditLog implements AuditLog {

    private static final int PAGE = 1000;
    private static final HexFormat HEX = HexFormat.of();

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    @Inject
    Clock clock;
    @Inject
    AuditStore store;
    @Inject
    MerkleIndex index;
    @Inject
    TreeHeadSigner signer;
    @Inject
    KeyPublisher keys;
    @Inject
    AuditSequencer sequencer;
    @Inject
    TreeHeadSchedule treeHeads;
    @Resource
    TransactionSynchronizationRegistry transactions;

    private static final Object NUDGE_AFTER_COMMIT = new Object();

    /** Staging times never go backwards on this instance, so one transaction's events keep their order. */
    private final AtomicReference<Instant> lastStaged = new AtomicReference<>(Instant.EPOCH);

    /**
     * Stages the event in the caller's transaction: one INSERT into {@code audit_staged}, no shared
     * row locked. The sequencer chains it once the transaction has committed.
     */
    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public void append(AuditEvent event) {
        String detail = EntryCodec.canonicalDetail(event.detail());
        Instant now = EntryCodec.recordedAt(clock.instant());
        Instant at = lastStaged.accumulateAndGet(now, (a, b) -> a.isAfter(b) ? a : b);
        em.persist(new AuditStagedRow(at, event.type(), event.actor().id(), event.patientId(), detail));
        wakeSequencerOnCommit();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public void appendAll(List<AuditEvent> events) {
        events.forEach(this::append);
    }

    private void wakeSequencerOnCommit() {
        if (transactions == null || sequencer == null || transactions.getResource(NUDGE_AFTER_COMMIT) != null) {
            return;
        }
        transactions.putResource(NUDGE_AFTER_COMMIT, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    sequencer.nudge();
                }
            }
        });
    }

    @Override
    public void start() {
        sequencer.start();
        sequencer.nudge(); // whatever a crash left staged
        publishKeyIfNew(); // a changed key is reported at start, not at the first signing
        treeHeads.start();
    }

    /**
     * Records the signing key in the log the first time it is in use; a key refused because it is
     * not the pinned one is never published (nothing it would sign is accepted either).
     */
    private void publishKeyIfNew() {
        TreeHeadKey key = signer.key();
        if (signer.refusal().isEmpty() && store.keys().stream().noneMatch(k -> k.keyId().equals(key.keyId()))) {
            keys.publish(key);
        }
    }

    @Override
    public Optional<String> signingRefusal() {
        return signer.refusal();
    }

    @Override
    public AuditBacklog backlog() {
        return store.backlog();
    }

    /** Chains what has committed so far, so that a read sees every event committed before it. */
    private void catchUp() {
        if (sequencer != null) {
            sequencer.drain();
        }
    }

    /**
     * One pass over the chained entries: the chain link by link, and the Merkle root at the size of
     * every signed tree head (each head's signature checked against the published keys). A head whose
     * root no longer matches means entries up to its size were rewritten or removed.
     *
     * <p>What has committed is chained first. The signed heads are read before the head row, and the
     * entries up to the head row after it: every head signed so far must then fit inside the log read,
     * while entries chained during the pass are left for the next one.
     */
    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public ChainVerification verify() {
        catchUp();
        ChainVerifier verifier = new ChainVerifier();
        MerkleTree.Frontier frontier = new MerkleTree.Frontier();
        List<SignedTreeHead> heads = store.headsBySize();
        List<TreeHeadKey> keys = store.keys();
        AuditHeadRow headRow = em.find(AuditHeadRow.class, AuditHeadRow.SINGLETON);
        long end = headRow.lastSequence();
        String endHash = headRow.lastHash();
        int nextHead = 0;
        long headsChecked = 0;
        String headProblem = null;
        long headProblemAt = 0;
        long after = 0;
        boolean chainOk = true;
        while (chainOk && after < end) {
            List<AuditEntryRow> page = em.createQuery("select e from AuditEntryRow e"
                            + " where e.sequence > :after and e.sequence <= :end order by e.sequence", AuditEntryRow.class)
                    .setParameter("after", after)
                    .setParameter("end", end)
                    .setMaxResults(PAGE)
                    .getResultList();
            for (AuditEntryRow row : page) {
                AuditEntry entry = row.toEntry();
                after = entry.sequence();
                if (!verifier.accept(entry)) {
                    chainOk = false;
                    break;
                }
                frontier.append(EntryCodec.leafHash(entry));
                while (nextHead < heads.size() && heads.get(nextHead).size() == frontier.size()) {
                    SignedTreeHead h = heads.get(nextHead++);
                    headsChecked++;
                    String problem = checkHead(h, frontier.root(), keys);
                    if (problem != null && headProblem == null) {
                        headProblem = problem;
                        headProblemAt = h.size();
                    }
                }
            }
            em.clear();
            if (page.size() < PAGE) {
                break;
            }
        }
        if (chainOk) {
            verifier.expectHead(end, endHash);
        }
        while (headProblem == null && nextHead < heads.size() && chainOk) {
            SignedTreeHead h = heads.get(nextHead++);
            headProblem = "expected the log to hold the " + h.size() + " entries of the tree head signed at "
                    + h.timestamp() + ", found " + frontier.size() + " (entries were removed)";
            headProblemAt = frontier.size() + 1;
        }
        return verifier.result().withTreeHeads(headsChecked, HEX.formatHex(frontier.root()), headProblemAt, headProblem)
                .withStaged(store.backlog().staged());
    }

    private static String checkHead(SignedTreeHead h, byte[] root, List<TreeHeadKey> keys) {
        boolean signed = keys.stream().anyMatch(k -> k.verifies(h));
        if (!signed) {
            return "expected the tree head of size " + h.size() + " signed at " + h.timestamp()
                    + " to carry a valid signature of a published key, found none that verifies";
        }
        if (!h.rootHash().equals(HEX.formatHex(root))) {
            return "expected root " + h.rootHash() + " at size " + h.size() + " (signed at " + h.timestamp()
                    + "), found " + HEX.formatHex(root) + ": entries up to " + h.size() + " were changed";
        }
        return null;
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> read(AuditQuery query) {
        catchUp();
        StringBuilder jpql = new StringBuilder("select e from AuditEntryRow e where 1 = 1");
        query.patient().ifPresent(p -> jpql.append(" and e.patientId = :patient"));
        query.eventType().ifPresent(t -> jpql.append(" and e.type = :type"));
        query.actor().ifPresent(a -> jpql.append(" and e.actorId = :actor"));
        if (query.from() != null) {
            jpql.append(" and e.recordedAt >= :from");
        }
        if (query.to() != null) {
            jpql.append(" and e.recordedAt < :to");
        }
        jpql.append(" order by e.sequence desc");
        TypedQuery<AuditEntryRow> q = em.createQuery(jpql.toString(), AuditEntryRow.class);
        query.patient().ifPresent(p -> q.setParameter("patient", p));
        query.eventType().ifPresent(t -> q.setParameter("type", t));
        query.actor().ifPresent(a -> q.setParameter("actor", a));
        if (query.from() != null) {
            q.setParameter("from", query.from());
        }
        if (query.to() != null) {
            q.setParameter("to", query.to());
        }
        List<AuditEntry> out = new ArrayList<>();
        for (AuditEntryRow row : q.setMaxResults(query.limit()).getResultList()) {
            out.add(row.toEntry());
        }
        return out;
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<AuditEntry> entry(long sequence) {
        catchUp();
        return Optional.ofNullable(em.find(AuditEntryRow.class, sequence)).map(AuditEntryRow::toEntry);
    }

    @Override
    public void forEach(long from, long to, Consumer<AuditEntry> sink) {
        catchUp();
        long after = Math.max(0, from - 1);
        while (after < to) {
            List<AuditEntry> page = store.committedAfter(after, PAGE);
            for (AuditEntry e : page) {
                if (e.sequence() > to) {
                    return;
                }
                sink.accept(e);
                after = e.sequence();
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    @Override
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public SignedTreeHead treeHead() {
        catchUp();
        TreeHeadKey key = signer.key();
        publishKeyIfNew();
        return index.withTree(tree -> {
            long size = tree.size();
            Optional<SignedTreeHead> latest = store.latestHead();
            if (latest.isPresent() && latest.get().size() == size && latest.get().keyId().equals(key.keyId())) {
                return latest.get();
            }
            SignedTreeHead head = signer.sign(size, HEX.formatHex(tree.root(size)), clock.instant());
            store.saveHead(head);
            return head;
        });
    }

    @Override
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<SignedTreeHead> treeHeads(int limit) {
        return store.heads(Math.max(1, Math.min(limit, 1000)));
    }

    @Override
    public TreeHeadKey signingKey() {
        return signer.key();
    }

    @Override
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public InclusionProof inclusionProof(long sequence, long treeSize) {
        catchUp();
        return index.withTree(tree -> {
            long size = treeSize <= 0 ? tree.size() : treeSize;
            if (size > tree.size() || sequence < 1 || sequence > size) {
                throw new IllegalArgumentException("Expected 1 <= sequence <= tree size <= " + tree.size()
                        + ", found sequence " + sequence + " and tree size " + treeSize + ".");
            }
            return new InclusionProof(sequence, sequence - 1, size, HEX.formatHex(tree.leaf(sequence - 1)),
                    tree.inclusionProof(sequence - 1, size).stream().map(HEX::formatHex).toList(),
                    HEX.formatHex(tree.root(size)));
        });
    }

    @Override
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public ConsistencyProof consistencyProof(long first, long second) {
        catchUp();
        return index.withTree(tree -> {
            if (first < 1 || first > second || second > tree.size()) {
                throw new IllegalArgumentException("Expected 1 <= first <= second <= " + tree.size() + ", found "
                        + first + " and " + second + ".");
            }
            return new ConsistencyProof(first, second, HEX.formatHex(tree.root(first)), HEX.formatHex(tree.root(second)),
                    tree.consistencyProof(first, second).stream().map(HEX::formatHex).toList());
        });
    }
}
