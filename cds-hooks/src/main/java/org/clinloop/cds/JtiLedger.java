package org.clinloop.cds;

import java.time.Instant;

/** The JWT ids each EHR has used, kept until they expire, shared by every instance. */
public interface JtiLedger {

    /** Records the id; false when it was seen before (a replay). */
    boolean firstUse(String issuer, String jti, Instant expiresAt);
}
