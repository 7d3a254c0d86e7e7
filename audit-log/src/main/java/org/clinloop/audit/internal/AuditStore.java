package org.clinloop.audit.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.clinloop.audit.AuditEntry;
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
