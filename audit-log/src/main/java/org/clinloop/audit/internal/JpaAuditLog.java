package org.clinloop.audit.internal;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
    @Resource
    TransactionSynchronizationRegistry transactions;

    /** Events gathered on this thread, for the transaction they were appended in. */
    private record Gathered(Object transaction, List<AuditEvent> events) {
    }

    private final ThreadLocal<Gathered> gathered = new ThreadLocal<>();

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public void append(AuditEvent event) {
        Gathered g = gathered.get();
        if (g != null && g.transaction().equals(transactionKey())) {
            g.events().add(event);
        } else {
            write(List.of(event));
        }
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public <T> T gathered(Supplier<T> work) {
        Object transaction = transactionKey();
        if (gathered.get() != null || transaction == null) {
            return work.get();
        }
        Gathered g = new Gathered(transaction, new ArrayList<>());
        gathered.set(g);
        T result;
        try {
            result = work.get();
        } finally {
            gathered.remove();
        }
        write(g.events());
        return result;
    }

    private Object transactionKey() {
        return transactions == null ? null : transactions.getTransactionKey();
    }

    /** Appends events in order under one lock of the head row (held until the transaction ends). */
    List<AuditEntry> write(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        AuditHeadRow head = em.find(AuditHeadRow.class, AuditHeadRow.SINGLETON, LockModeType.PESSIMISTIC_WRITE);
        if (head == null) {
            throw new IllegalStateException("The audit_head row is missing: the audit schema was not migrated.");
        }
        List<AuditEntry> out = new ArrayList<>(events.size());
        for (AuditEvent event : events) {
            long sequence = head.lastSequence() + 1;
            Instant at = EntryCodec.recordedAt(clock.instant());
            String detail = EntryCodec.canonicalDetail(event.detail());
            String hash = EntryCodec.chainHash(head.lastHash(), EntryCodec.canonicalEntry(EntryCodec.CURRENT_FORMAT,
                    sequence, at, event.type(), event.actor().id(), event.patientId(), detail));
            AuditEntry entry = new AuditEntry(sequence, EntryCodec.CURRENT_FORMAT, at, event.type(), event.actor().id(),
                    event.patientId(), detail, head.lastHash(), hash);
            em.persist(new AuditEntryRow(entry));
            head.advance(sequence, hash);
            out.add(entry);
        }
        return out;
    }

    /**
     * One pass over the entries: the chain link by link, and the Merkle root at the size of every
     * signed tree head (each head's signature checked against the published keys). A head whose
     * root no longer matches means entries up to its size were rewritten or removed.
     */
    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public ChainVerification verify() {
        ChainVerifier verifier = new ChainVerifier();
        MerkleTree.Frontier frontier = new MerkleTree.Frontier();
        List<SignedTreeHead> heads = store.headsBySize();
        List<TreeHeadKey> keys = store.keys();
        int nextHead = 0;
        long headsChecked = 0;
        String headProblem = null;
        long headProblemAt = 0;
        long after = 0;
        boolean chainOk = true;
        while (chainOk) {
            List<AuditEntryRow> page = em.createQuery(
                            "select e from AuditEntryRow e where e.sequence > :after order by e.sequence",
                            AuditEntryRow.class)
                    .setParameter("after", after)
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
            AuditHeadRow head = em.find(AuditHeadRow.class, AuditHeadRow.SINGLETON);
            verifier.expectHead(head.lastSequence(), head.lastHash());
        }
        while (headProblem == null && nextHead < heads.size() && chainOk) {
            SignedTreeHead h = heads.get(nextHead++);
            headProblem = "expected the log to hold the " + h.size() + " entries of the tree head signed at "
                    + h.timestamp() + ", found " + frontier.size() + " (entries were removed)";
            headProblemAt = frontier.size() + 1;
        }
        return verifier.result().withTreeHeads(headsChecked, HEX.formatHex(frontier.root()), headProblemAt, headProblem);
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
        return Optional.ofNullable(em.find(AuditEntryRow.class, sequence)).map(AuditEntryRow::toEntry);
    }

    @Override
    public void forEach(long from, long to, Consumer<AuditEntry> sink) {
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
        TreeHeadKey key = signer.key();
        if (store.keys().stream().noneMatch(k -> k.keyId().equals(key.keyId()))) {
            keys.publish(key);
        }
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
