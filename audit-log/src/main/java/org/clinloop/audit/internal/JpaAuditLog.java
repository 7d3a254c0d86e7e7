package org.clinloop.audit.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditQuery;
import org.clinloop.audit.ChainVerification;
import org.clinloop.audit.ChainVerifier;
import org.clinloop.audit.EntryCodec;

/** {@link AuditLog} on the shared relational database. */
@ApplicationScoped
public class JpaAuditLog implements AuditLog {

    private static final int PAGE = 1000;

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    @Inject
    Clock clock;

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public AuditEntry append(AuditEvent event) {
        AuditHeadRow head = em.find(AuditHeadRow.class, AuditHeadRow.SINGLETON,
                LockModeType.PESSIMISTIC_WRITE);
        if (head == null) {
            throw new IllegalStateException("The audit_head row is missing: the audit schema was not migrated.");
        }
        long sequence = head.lastSequence() + 1;
        Instant at = EntryCodec.recordedAt(clock.instant());
        String detail = EntryCodec.canonicalDetail(event.detail());
        String hash = EntryCodec.chainHash(head.lastHash(), EntryCodec.canonicalEntry(EntryCodec.CURRENT_FORMAT,
                sequence, at, event.type(), event.actor().id(), event.patientId(), detail));
        AuditEntry entry = new AuditEntry(sequence, EntryCodec.CURRENT_FORMAT, at, event.type(), event.actor().id(),
                event.patientId(), detail, head.lastHash(), hash);
        em.persist(new AuditEntryRow(entry));
        head.advance(sequence, hash);
        return entry;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public ChainVerification verify() {
        ChainVerifier verifier = new ChainVerifier();
        long after = 0;
        while (true) {
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
                    return verifier.result();
                }
            }
            em.clear();
            if (page.size() < PAGE) {
                break;
            }
        }
        AuditHeadRow head = em.find(AuditHeadRow.class, AuditHeadRow.SINGLETON);
        verifier.expectHead(head.lastSequence(), head.lastHash());
        return verifier.result();
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEntry> read(AuditQuery query) {
        StringBuilder jpql = new StringBuilder("select e from AuditEntryRow e where 1 = 1");
        query.patient().ifPresent(p -> jpql.append(" and e.patientId = :patient"));
        query.eventType().ifPresent(t -> jpql.append(" and e.type = :type"));
        jpql.append(" order by e.sequence desc");
        TypedQuery<AuditEntryRow> q = em.createQuery(jpql.toString(), AuditEntryRow.class);
        query.patient().ifPresent(p -> q.setParameter("patient", p));
        query.eventType().ifPresent(t -> q.setParameter("type", t));
        List<AuditEntry> out = new ArrayList<>();
        for (AuditEntryRow row : q.setMaxResults(query.limit()).getResultList()) {
            out.add(row.toEntry());
        }
        return out;
    }
}
