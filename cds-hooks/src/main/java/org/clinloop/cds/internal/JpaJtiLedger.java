package org.clinloop.cds.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.clinloop.cds.JtiLedger;

/**
 * JWT ids in PostgreSQL ({@code cds_jwt_seen}): the primary key (issuer, jti) decides which of
 * two instances saw an id first. Committed on its own, before the call is answered, so that a
 * replay arriving at another instance meanwhile is refused; ids past their expiry are removed as
 * new ones arrive.
 */
@ApplicationScoped
public class JpaJtiLedger implements JtiLedger {

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean firstUse(String issuer, String jti, Instant expiresAt) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        em.createNativeQuery("DELETE FROM cds_jwt_seen WHERE issuer = ?1 AND expires_at < ?2")
                .setParameter(1, issuer).setParameter(2, now).executeUpdate();
        int inserted = em.createNativeQuery("INSERT INTO cds_jwt_seen (issuer, jti, expires_at, seen_at)"
                        + " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (issuer, jti) DO NOTHING")
                .setParameter(1, issuer).setParameter(2, jti)
                .setParameter(3, expiresAt.atOffset(ZoneOffset.UTC)).setParameter(4, now).executeUpdate();
        return inserted == 1;
    }
}
