package org.clinloop.cds;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.clinloop.approval.Roles;
import org.clinloop.audit.Actor;

/**
 * An EHR whose signed JWT was verified for one CDS call.
 *
 * @param ehr       its registration
 * @param jti       the JWT's id (recorded, never accepted again before it expires)
 * @param expiresAt the JWT's {@code exp}
 */
public record CdsCaller(EhrRegistration ehr, String jti, Instant expiresAt) {

    public CdsCaller {
        Objects.requireNonNull(ehr, "The EHR is required.");
        Objects.requireNonNull(jti, "The JWT id is required.");
        Objects.requireNonNull(expiresAt, "The expiry is required.");
    }

    /** The EHR as the audit log and the workflow see it: an EHR system named by its issuer. */
    public Actor actor() {
        return new Actor("cds:" + ehr.issuer(), ehr.issuer(), Set.of(Roles.EHR_SYSTEM), null, null);
    }
}
