package org.clinloop.audit.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clinloop.audit.AuditBacklog;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.EntryCodec;
import org.clinloop.audit.SignedTreeHead;
import org.clinloop.audit.TreeHeadKey;

/**
 * Reads of committed log state and writes of tree heads and keys, each in a transaction of its
 * own: what the Merkle index and tree heads cover must never include an append that may still
 * roll back.
 */
@ApplicationScoped
public class AuditStore {

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    /**
     * Chains up to {@code limit} committed staged events, oldest first, under the head row's lock:
     * each becomes the next entry (its {@code recordedAt} is when it was staged), and leaves the
     * staging table in the same commit. Returns how many were chained.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int chainStaged(int limit) {
        AuditHeadRow head = em.find(AuditHeadRow.class, AuditHeadRow.SINGLETON, LockModeType.PESSIMISTIC_WRITE);
        if (head == null) {
            throw new IllegalStateException("The audit_head row is missing: the audit schema was not migrated.");
        }
        // Read after the lock: under READ COMMITTED this sees what the previous holder removed.
        List<AuditStagedRow> staged = em.createQuery(
                        "select s from AuditStagedRow s order by s.stagedAt, s.id", AuditStagedRow.class)
                .setMaxResults(limit).getResultList();
        if (staged.isEmpty()) {
            return 0;
        }
        List<Long> ids = new ArrayList<>(staged.size());
        for (AuditStagedRow s : staged) {
            long sequence = head.lastSequence() + 1;
            String hash = EntryCodec.chainHash(head.lastHash(), EntryCodec.canonicalEntry(EntryCodec.CURRENT_FORMAT,
                    sequence, s.stagedAt(), s.type(), s.actorId(), s.patientId(), s.detailJson()));
            em.persist(new AuditEntryRow(new AuditEntry(sequence, EntryCodec.CURRENT_FORMAT, s.stagedAt(), s.type(),
                    s.actorId(), s.patientId(), s.detailJson(), head.lastHash(), hash), s.id()));
            head.advance(sequence, hash);
            ids.add(s.id());
        }
        em.flush(); // the entries exist before their staged events leave (PostgreSQL's trigger checks)
        em.createQuery("delete from AuditStagedRow s where s.id in :ids").setParameter("ids", ids).executeUpdate();
        return staged.size();
    }

    /** How many committed events wait to be chained, and since when. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public AuditBacklog backlog() {
        Object[] row = (Object[]) em.createQuery("select count(s), min(s.stagedAt) from AuditStagedRow s")
                .getSingleResult();
        return new AuditBacklog(((Number) row[0]).longValue(), (Instant) row[1]);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<AuditEntry> committedAfter(long after, int limit) {
        return em.createQuery("select e from AuditEntryRow e where e.sequence > :after order by e.sequence",
                        AuditEntryRow.class)
                .setParameter("after", after).setMaxResults(limit).getResultList().stream()
                .map(AuditEntryRow::toEntry).toList();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<SignedTreeHead> latestHead() {
        return em.createQuery("select h from AuditTreeHeadRow h order by h.size desc, h.issuedAt desc",
                        AuditTreeHeadRow.class)
                .setMaxResults(1).getResultList().stream().findFirst().map(AuditTreeHeadRow::toHead);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<SignedTreeHead> heads(int limit) {
        return em.createQuery("select h from AuditTreeHeadRow h order by h.size desc, h.issuedAt desc",
                        AuditTreeHeadRow.class)
                .setMaxResults(limit).getResultList().stream().map(AuditTreeHeadRow::toHead).toList();
    }

    /** Every head, smallest first, for verification. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SignedTreeHead> headsBySize() {
        return em.createQuery("select h from AuditTreeHeadRow h order by h.size, h.issuedAt", AuditTreeHeadRow.class)
                .getResultList().stream().map(AuditTreeHeadRow::toHead).toList();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void saveHead(SignedTreeHead head) {
        em.persist(new AuditTreeHeadRow(head));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TreeHeadKey> keys() {
        return em.createQuery("select k from AuditKeyRow k", AuditKeyRow.class).getResultList().stream()
                .map(AuditKeyRow::toKey).toList();
    }

    @Transactional(Transactional.TxType.REQUIRED)
    public boolean saveKeyIfNew(TreeHeadKey key, Instant at) {
        if (em.find(AuditKeyRow.class, key.keyId()) != null) {
            return false;
        }
        em.persist(new AuditKeyRow(key, at));
        return true;
    }
}
