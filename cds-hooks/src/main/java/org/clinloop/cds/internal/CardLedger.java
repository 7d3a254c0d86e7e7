package org.clinloop.cds.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The proposal cards issued to each EHR ({@code cds_card}), so that feedback finds its proposal. */
@ApplicationScoped
public class CardLedger {

    /** A card issued: to whom, about which patient and proposal. */
    public record IssuedCard(String uuid, String serviceId, String issuer, String patientId, String proposalId) {
    }

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    @Transactional(Transactional.TxType.REQUIRED)
    public void issued(IssuedCard card, Instant at) {
        em.createNativeQuery("INSERT INTO cds_card (uuid, service_id, issuer, patient_id, proposal_id, issued_at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, card.uuid()).setParameter(2, card.serviceId()).setParameter(3, card.issuer())
                .setParameter(4, card.patientId()).setParameter(5, card.proposalId())
                .setParameter(6, at.atOffset(ZoneOffset.UTC)).executeUpdate();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<IssuedCard> card(String uuid) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT uuid, service_id, issuer, patient_id, proposal_id"
                + " FROM cds_card WHERE uuid = ?1").setParameter(1, uuid).getResultList();
        return rows.stream().findFirst().map(r -> new IssuedCard((String) r[0], (String) r[1], (String) r[2],
                (String) r[3], (String) r[4]));
    }

    static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
