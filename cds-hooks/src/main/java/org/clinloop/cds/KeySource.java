package org.clinloop.cds;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;

/** Where an EHR's public keys come from (its JWKS URL, or an allowed {@code jku}). */
public interface KeySource {

    /**
     * The key set published at {@code url}.
     *
     * @param refresh true to skip any cached copy (a key id was not found in it)
     * @throws TokenRefusedException when the set cannot be fetched or read
     */
    JWKSet keys(URI url, boolean refresh);
}
